import {getCompositions, renderStill, selectComposition, type HeadlessBrowser, type StillImageFormat} from '@remotion/renderer';
import type {VideoConfig} from 'remotion';
import type {RenderJob, ResolvedComposition} from '../backend/render-record.js';
import {createBrowserSlot} from '../render/browser-slot.js';
import {compositorDirectory} from '../render/compositor-binaries.js';
import type {BrowserChoice} from '../render/find-browser.js';
import {createNetworkPolicy} from '../render/network/network-policy.js';
import {watchChunkNetwork, type ChunkNetworkWatch} from '../render/network/watch-chunk-network.js';
import {startSiteServer} from '../render/site-server.js';
import {videoConfigOf} from '../render/video-config-of.js';
import type {Storage} from '../storage/storage.js';
import {createSiteCache, type SiteVersion} from './site-cache.js';

/** The composition cannot be rendered with these props: the message is the client's (a 400). */
export class CompositionError extends Error {}

export type StillOptions = {frame: number; imageFormat: StillImageFormat; jpegQuality?: number | undefined; scale?: number | undefined; envVariables?: Record<string, string> | undefined};

/** What the API does in a browser of its own: resolving compositions, and stills. */
export type SiteBrowser = {
	/** The composition of a deployed site as calculateMetadata() makes it for the inputProps. */
	resolveComposition: (site: SiteVersion, compositionId: string, inputProps: Record<string, unknown>) => Promise<ResolvedComposition>;
	/** Every composition of a deployed site, each as calculateMetadata() makes it for the inputProps. */
	listCompositions: (site: SiteVersion, inputProps: Record<string, unknown>) => Promise<VideoConfig[]>;
	/** One frame of a resolved composition as an image (or a PDF) in `outFile`. */
	renderStill: (target: Pick<RenderJob, 'site' | 'composition' | 'inputProps'>, still: StillOptions, outFile: string) => Promise<void>;
	close: () => Promise<void>;
};

// A site's page that does not set up (or a still that does not render) within this long is taken for broken.
const PAGE_TIMEOUT_MS = 30_000;
// The browser stays open this long after the last use, so a burst of submits shares it.
const IDLE_CLOSE_MS = 60_000;

type PageWork<T> = (page: {serveUrl: string; browser: HeadlessBrowser; network: ChunkNetworkWatch}) => Promise<T>;

/**
 * The API's browser, held to the same network policy as the workers' (a site's calculateMetadata()
 * and components are untrusted code), on sites as the workers load them: the built-in site
 * (`builtinFolder`, bundled on first use) and deployed sites fetched from the bucket by hash.
 * One page at a time; the browser closes when idle and reopens on demand.
 */
export const createSiteBrowser = async ({
	cacheDir,
	storage,
	browser: choice,
	allowedOrigins,
	builtinFolder,
}: {
	cacheDir: string;
	storage: Storage;
	browser: BrowserChoice;
	allowedOrigins: readonly string[];
	/** The built-in site's folder in cacheDir, for stills of code. */
	builtinFolder: () => Promise<string>;
}): Promise<SiteBrowser> => {
	const server = await startSiteServer(cacheDir);
	const cache = createSiteCache({cacheDir, storage});
	const policy = createNetworkPolicy({allowedOrigins, siteOrigin: server.origin});
	const slot = createBrowserSlot(0, choice, policy, server.origin);
	let queue: Promise<unknown> = Promise.resolve();
	let idleTimer: NodeJS.Timeout | null = null;

	const onPage = async <T>(site: RenderJob['site'], work: PageWork<T>, describe: (message: string, blocked: string) => string): Promise<T> => {
		const serveUrl = server.urlOf(site.kind === 'builtin' ? await builtinFolder() : await cache.ensure(site));
		const blocked: string[] = [];
		const network = await watchChunkNetwork({policy, setPageNetwork: slot.setPageNetwork, onBlocked: (url, reason) => blocked.push(`${url} (${reason})`)});
		try {
			const browser = await slot.browser();
			try {
				return await work({serveUrl, browser, network});
			} catch (err) {
				if (err instanceof CompositionError) {
					throw err;
				}
				// The page may have wedged the browser: the next page gets a new one.
				await slot.discard();
				const message = err instanceof Error ? err.message : String(err);
				throw new CompositionError(describe(message.split('\n')[0] ?? message, blocked.length > 0 ? ` [the network policy blocked: ${blocked.join('; ')}]` : ''));
			}
		} finally {
			network.stop();
			await slot.cleanUp();
		}
	};

	// One page at a time; the browser closes when nothing has used it for a while.
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		if (idleTimer) {
			clearTimeout(idleTimer);
			idleTimer = null;
		}
		const run = queue.then(work);
		queue = run.catch(() => undefined).finally(() => {
			idleTimer = setTimeout(() => void slot.close(), IDLE_CLOSE_MS);
			idleTimer.unref();
		});
		return run;
	};

	const common = ({serveUrl, browser, network}: Parameters<PageWork<unknown>>[0]) => ({
		serveUrl,
		puppeteerInstance: browser,
		...network.renderMediaOptions,
		timeoutInMilliseconds: PAGE_TIMEOUT_MS,
		binariesDirectory: compositorDirectory(),
		logLevel: 'error' as const,
	});

	return {
		resolveComposition: (site, compositionId, inputProps) =>
			serially(() =>
				onPage(
					{kind: 'deployed', ...site},
					async (page) => {
						try {
							const config = await selectComposition({...common(page), inputProps, id: compositionId});
							const {id, durationInFrames, fps, width, height, props, defaultProps} = config;
							return {id, durationInFrames, fps, width, height, props, defaultProps};
						} catch (err) {
							if (/Could not find composition with ID/i.test((err as Error).message)) {
								const ids = (await getCompositions(page.serveUrl, {...common(page), inputProps}).catch(() => [])).map((composition) => composition.id);
								throw new CompositionError(`There is no composition "${compositionId}" in the site "${site.name}"${ids.length > 0 ? `; it has: ${ids.join(', ')}` : ''}`);
							}
							throw err;
						}
					},
					// A schema that rejects the props, a calculateMetadata() that throws, a page that hangs: Remotion's first line says which.
					(message, blocked) => `The site "${site.name}" could not set up the composition "${compositionId}" with these inputProps: ${message}${blocked}`,
				),
			),
		listCompositions: (site, inputProps) =>
			serially(() =>
				onPage(
					{kind: 'deployed', ...site},
					(page) => getCompositions(page.serveUrl, {...common(page), inputProps}),
					(message, blocked) => `The site "${site.name}" could not list its compositions with these inputProps: ${message}${blocked}`,
				),
			),
		renderStill: (target, still, outFile) =>
			serially(() =>
				onPage(
					target.site,
					async (page) => {
						await renderStill({
							...common(page),
							composition: videoConfigOf(target),
							inputProps: target.inputProps,
							frame: still.frame,
							imageFormat: still.imageFormat,
							jpegQuality: still.jpegQuality,
							scale: still.scale,
							envVariables: still.envVariables,
							output: outFile,
							overwrite: true,
						});
					},
					(message, blocked) => `Frame ${still.frame} of the composition "${target.composition.id}" did not render: ${message}${blocked}`,
				),
			),
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
