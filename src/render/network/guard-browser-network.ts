import type {HeadlessBrowser} from '@remotion/renderer';
import type {NetworkPolicy} from './network-policy.js';

/** Who the page's requests are checked for: the chunk the browser renders now. */
export type PageNetwork = {
	/** Remotion's server for this chunk, e.g. http://localhost:3012. */
	serverOrigin: string;
	onBlocked: (url: string, reason: string) => void;
};

type RequestPaused = {requestId: string; request: {url: string}};

// Remotion's typed CDP command list leaves out the Fetch domain.
type RawConnection = {
	send: (method: string, params: object) => Promise<unknown>;
	on: (event: string, handler: (event: RequestPaused) => void) => void;
};

/**
 * Pauses every request of every page of the browser (Fetch on the browser target, enabled before
 * any page exists) and lets through only what the policy allows. WebSockets are outside Fetch's
 * reach: the site's Content-Security-Policy limits them to the bundle server.
 */
export const guardBrowserNetwork = async ({
	browser,
	policy,
	currentPage,
}: {
	browser: HeadlessBrowser;
	policy: NetworkPolicy;
	/** The chunk now rendering on this browser; null blocks every request. */
	currentPage: () => PageNetwork | null;
}): Promise<void> => {
	const connection = browser.connection as unknown as RawConnection;
	connection.on('Fetch.requestPaused', ({requestId, request}) => {
		const page = currentPage();
		const verdict = page === null ? Promise.resolve({allowed: false as const, reason: 'no chunk is rendering'}) : policy.checkRequest(request.url, page.serverOrigin);
		void verdict
			.then((result) => {
				if (result.allowed) {
					return connection.send('Fetch.continueRequest', {requestId});
				}
				page?.onBlocked(request.url, result.reason);
				return connection.send('Fetch.failRequest', {requestId, errorReason: 'BlockedByClient'});
			})
			// The page may be gone by now; its requests went with it.
			.catch(() => undefined);
	});
	await connection.send('Fetch.enable', {patterns: [{urlPattern: '*', requestStage: 'Request'}]});
};
