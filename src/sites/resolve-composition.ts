import {getCompositions, selectComposition} from '@remotion/renderer';
import type {ResolvedComposition} from '../backend/render-record.js';
import {createBrowserSlot} from '../render/browser-slot.js';
import {compositorDirectory} from '../render/compositor-binaries.js';
import type {BrowserChoice} from '../render/find-browser.js';
import {createNetworkPolicy} from '../render/network/network-policy.js';
import {watchChunkNetwork} from '../render/network/watch-chunk-network.js';
import {startSiteServer} from '../render/site-server.js';
import type {Storage} from '../storage/storage.js';
import {createSiteCache, type SiteVersion} from './site-cache.js';

/** The composition cannot be rendered with these props: the message is the client's (a 400). */
export class CompositionError extends Error {}

export type CompositionResolver = {
	/** The composition of a deployed site as calculateMetadata() makes it for the inputProps. */
	resolve: (site: SiteVersion, compositionId: string, inputProps: Record<string, unknown>) => Promise<ResolvedComposition>;
	close: () => Promise<void>;
};

// A site's page that does not set up within this long is taken for broken.
const RESOLVE_TIMEOUT_MS = 30_000;
// The browser stays open this long after the last resolve, so a burst of submits shares it.
const IDLE_CLOSE_MS = 60_000;

/**
 * Resolves compositions for the API, once per render, in a browser of its own held to the same
 * network policy as the workers' (a site's calculateMetadata() runs untrusted code), on the
 * site as the workers will load it: fetched from the bucket into the cache dir by its hash.
 * Resolves run one at a time; the browser closes when idle.
 */
export const createCompositionResolver = async ({
	cacheDir,
	storage,
	browser: choice,
	allowedOrigins,
}: {
	cacheDir: string;
	storage: Storage;
	browser: BrowserChoice;
	allowedOrigins: readonly string[];
}): Promise<CompositionResolver> => {
	const server = await startSiteServer(cacheDir);
	const cache = createSiteCache({cacheDir, storage});
	const policy = createNetworkPolicy({allowedOrigins, siteOrigin: server.origin});
	const slot = createBrowserSlot(0, choice, policy, server.origin);
	let queue: Promise<unknown> = Promise.resolve();
	let idleTimer: NodeJS.Timeout | null = null;

	const resolveNow = async (site: SiteVersion, compositionId: string, inputProps: Record<string, unknown>): Promise<ResolvedComposition> => {
		const serveUrl = server.urlOf(await cache.ensure(site));
		const blocked: string[] = [];
		const network = await watchChunkNetwork({policy, setPageNetwork: slot.setPageNetwork, onBlocked: (url, reason) => blocked.push(`${url} (${reason})`)});
		try {
			const common = {
				serveUrl,
				inputProps,
				puppeteerInstance: await slot.browser(),
				...network.renderMediaOptions,
				timeoutInMilliseconds: RESOLVE_TIMEOUT_MS,
				binariesDirectory: compositorDirectory(),
				logLevel: 'error' as const,
			};
			try {
				const config = await selectComposition({...common, id: compositionId});
				return {
					id: config.id,
					durationInFrames: config.durationInFrames,
					fps: config.fps,
					width: config.width,
					height: config.height,
					props: config.props,
					defaultProps: config.defaultProps,
				};
			} catch (err) {
				const message = err instanceof Error ? err.message : String(err);
				if (/Could not find composition with ID/i.test(message)) {
					const ids = (await getCompositions(serveUrl, common).catch(() => [])).map((composition) => composition.id);
					throw new CompositionError(`There is no composition "${compositionId}" in the site "${site.name}"${ids.length > 0 ? `; it has: ${ids.join(', ')}` : ''}`);
				}
				// A schema that rejects the props, a calculateMetadata() that throws, a page that hangs:
				// Remotion's first line says which. The browser may be wedged: the next resolve gets a new one.
				await slot.discard();
				const firstLine = message.split('\n')[0] ?? message;
				throw new CompositionError(
					`The site "${site.name}" could not set up the composition "${compositionId}" with these inputProps: ${firstLine}${blocked.length > 0 ? ` [the network policy blocked: ${blocked.join('; ')}]` : ''}`,
				);
			}
		} finally {
			network.stop();
			await slot.cleanUp();
		}
	};

	return {
		resolve: (site, compositionId, inputProps) => {
			if (idleTimer) {
				clearTimeout(idleTimer);
				idleTimer = null;
			}
			const run = queue.then(() => resolveNow(site, compositionId, inputProps));
			queue = run.catch(() => undefined).finally(() => {
				idleTimer = setTimeout(() => void slot.close(), IDLE_CLOSE_MS);
				idleTimer.unref();
			});
			return run;
		},
		close: async () => {
			if (idleTimer) {
				clearTimeout(idleTimer);
			}
			await queue;
			await slot.close();
			await server.close();
		},
	};
};
