import type {RenderMediaOptions} from '@remotion/renderer';
import {blockedByBrowser} from './blocked-by-browser.js';
import {findFreePort} from './find-free-port.js';
import type {PageNetwork} from './guard-browser-network.js';
import type {NetworkPolicy} from './network-policy.js';

/** A chunk's network: the policy, the slot's request guard and where blocked requests are told. */
export type ChunkNetwork = {
	policy: NetworkPolicy;
	/** Points the browser's request guard at this chunk (the slot's setPageNetwork). */
	setPageNetwork: (page: PageNetwork | null) => void;
	/** Called once per blocked URL. */
	onBlocked: (url: string, reason: string) => void;
};

export type ChunkNetworkWatch = {
	/** For renderMedia(): Remotion's server on a known port, and the two ways it reports requests. */
	renderMediaOptions: Pick<RenderMediaOptions, 'port' | 'onBrowserLog' | 'onDownload'>;
	/** What was blocked so far: URL and reason. */
	blocked: () => Array<[string, string]>;
	stop: () => void;
};

/** Holds a chunk's page to the policy, wherever its requests go: the guard, Chromium itself, or Node downloads. */
export const watchChunkNetwork = async (network: ChunkNetwork): Promise<ChunkNetworkWatch> => {
	const port = await findFreePort();
	const serverOrigin = `http://localhost:${port}`;
	const blocked = new Map<string, string>();
	const block = (url: string, reason: string) => {
		if (!blocked.has(url)) {
			blocked.set(url, reason);
			network.onBlocked(url, reason);
		}
	};
	network.setPageNetwork({serverOrigin, onBlocked: block});
	return {
		renderMediaOptions: {
			port,
			onBrowserLog: ({text}) => {
				const refused = blockedByBrowser(text);
				if (refused) {
					block(refused.url, refused.reason);
				}
			},
			// Audio and OffthreadVideo sources are downloaded by Node, not by the page: Remotion
			// announces each download synchronously, and a throw stops it.
			onDownload: (src) => {
				const verdict = network.policy.checkDownload(src, serverOrigin);
				if (!verdict.allowed) {
					block(src, verdict.reason);
					throw new Error(`Blocked the download of ${src}: ${verdict.reason}`);
				}
				return undefined;
			},
		},
		blocked: () => [...blocked],
		stop: () => network.setPageNetwork(null),
	};
};
