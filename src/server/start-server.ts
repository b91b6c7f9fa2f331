import path from 'node:path';
import {Redis} from 'ioredis';
import {workerSlots, type Config} from '../config/load-config.js';
import {slotsBesideFirstChunk} from '../config/default-slots.js';
import {createBackend} from '../backend/create-backend.js';
import {createStorage} from '../storage/create-storage.js';
import {startRenderThread} from '../worker/start-render-thread.js';
import {API_NICE, setThreadNice, setThreadRealtime} from '../worker/thread-priority.js';
import type {AppContext} from './app-context.js';
import {startRetentionSweeper} from './retention-sweeper.js';
import {progressOf} from './read-progress.js';
import {startWebhookNotifier} from '../webhooks/start-webhook-notifier.js';
import {createAuth} from './auth.js';
import {buildApp} from './build-app.js';
import {loadApiKeys} from './load-api-keys.js';
import {loadUrlSecret} from './load-url-secret.js';
import {createFileUrlSigner} from '../storage/file-url-signer.js';
import {findBrowser} from '../render/find-browser.js';
import {bundleSite} from '../render/bundle-site.js';
import {createSiteBrowser, type SiteBrowser} from '../sites/site-browser.js';
import {createSiteStore} from '../sites/site-store.js';
import {allRenderEvents} from '../backend/render-events.js';
import {createFarmMetrics} from '../metrics/farm-metrics.js';
import type {Logger} from '../logging/create-logger.js';
import {logRenderEvents} from '../logging/log-render-events.js';

export type RunningServer = {
	url: string;
	/** Worker slots in this process: 0 for an API server in distributed mode. */
	slots: number;
	apiKeys: string[];
	/** True when this start created the API key in the data dir. */
	createdApiKey: boolean;
	/** Resolves once the workers have their site bundle and browsers and take renders. */
	workerReady: Promise<void>;
	close: () => Promise<void>;
};

/**
 * The API server. Embedded mode: one process with the API, SQLite state and the bucket folder in
 * the data dir, and worker slots on a thread of their own. Distributed mode (FRAMEFARM_REDIS_URL):
 * the API on BullMQ and the configured bucket; it renders only when given --concurrency. It listens at once; renders
 * submitted while the site is still being bundled wait in the queue.
 */
export const startServer = async (
	config: Config,
	{logger}: {logger: Logger},
): Promise<RunningServer> => {
	const {keys, created} = loadApiKeys(config.apiKeys, config.dataDir);
	const metrics = createFarmMetrics();
	const log = (line: string) => logger.warn(line);
	const backend = await createBackend(config, {log, events: allRenderEvents(metrics.events, logRenderEvents(logger)), onRedisError: metrics.redisError});
	metrics.countRenders(() => backend.countRenders());
	const slots = workerSlots(config, 'serve');
	const fileUrls = createFileUrlSigner({
		secret: loadUrlSecret(config.urlSecret, config.dataDir),
		expiresInSeconds: Math.round(config.urlExpiresMs / 1000),
		baseUrl: () => context.publicUrl,
	});
	const bucket = createStorage(config, fileUrls.url, metrics.worker.storageError);
	metrics.readiness(() => bucket.problem ?? backend.problem());
	// Its own connection, failing fast: a submit never waits on a counter (outages are the backend's to report).
	const rateLimitStore =
		config.redis === null
			? null
			: {redis: new Redis(config.redis.url, {enableOfflineQueue: false, maxRetriesPerRequest: 1}), namespace: `${config.redis.prefix}:ff:rate:`};
	rateLimitStore?.redis.on('error', () => undefined);
	// A browser of the API's own, started on the first render of a deployed site or the first still.
	let siteBrowser: Promise<SiteBrowser> | null = null;
	const startedSiteBrowser = (): Promise<SiteBrowser> => {
		siteBrowser ??= findBrowser(config.browserExecutable).then((browser) =>
			createSiteBrowser({
				cacheDir: config.cacheDir,
				storage: bucket.storage,
				browser,
				allowedOrigins: config.allowedOrigins,
				builtinFolder: async () => path.basename(await bundleSite({cacheDir: config.cacheDir})),
			}),
		);
		siteBrowser.catch(() => (siteBrowser = null));
		return siteBrowser;
	};
	const context: AppContext = {
		backend,
		storage: bucket.storage,
		authenticate: createAuth(keys),
		publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
		pricing: {
			pricePerGbSecond: config.pricePerGbSecond,
			memoryGbPerWorker: config.workerMemoryGb,
			pricePerInvocation: config.pricePerInvocation,
		},
		renderTimeoutMs: config.renderTimeoutMs,
		defaultFramesPerChunk: config.framesPerChunk,
		renderSlots: config.redis === null ? {slots, slotsBesideFirstChunk: slotsBesideFirstChunk()} : null,
		chunkPlan: config.chunkPlan,
		limits: config.limits,
		rateLimitStore,
		allowedWebhookHosts: config.allowedWebhookHosts,
		sites: createSiteStore(bucket.storage),
		siteBrowser: {
			resolveComposition: async (...args) => (await startedSiteBrowser()).resolveComposition(...args),
			listCompositions: async (...args) => (await startedSiteBrowser()).listCompositions(...args),
			renderStill: async (...args) => (await startedSiteBrowser()).renderStill(...args),
		},
		fileUrls,
		storageProblem: bucket.problem,
		metrics,
		metricsToken: config.metricsToken,
		now: Date.now,
	};
	const app = await buildApp(context, {logger});
	await app.listen({port: config.port, host: config.host});
	const address = app.server.address();
	const port = typeof address === 'object' && address !== null ? address.port : config.port;
	const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
	context.publicUrl = config.publicUrl ?? url;

	const sweeper = startRetentionSweeper({
		backend,
		storage: context.storage,
		retentionMs: config.retentionMs,
		onSwept: (count) => logger.info({renders: count}, `retention: removed ${count} render(s) finished more than ${config.retentionMs / 1000} s ago, with their files`),
		onError: (err) => logger.warn({err}, 'retention: the sweep failed and will run again'),
	});

	const notifier = startWebhookNotifier({backend, progressOf: (render) => progressOf(context, render), onDelivery: metrics.webhookDelivery});

	// This thread answers clients: it goes before renders on the same machine (this process's own in
	// embedded mode, a worker's beside it in distributed mode) where the process may raise it. In a
	// real-time class that resets on fork, the render thread started next begins at the priority the
	// process was started with, and the renders need not give their cores away to anything else to
	// keep polls fast. Failing that, a nice value, set after the render thread started, which it
	// would otherwise inherit.
	const apiRealtime = setThreadRealtime();
	const renderPriority = config.renderPriority === 'auto' ? (apiRealtime ? 'normal' : 'background') : config.renderPriority;
	const renderThread =
		slots > 0
			? startRenderThread({config: {...config, renderPriority}, slots, backend, log: (line, fields) => logger.warn(fields ?? {}, line), metrics: metrics.worker})
			: null;
	const apiNice = !apiRealtime && setThreadNice(API_NICE);
	const apiPriority = apiRealtime ? 'real-time (SCHED_RR)' : apiNice ? `nice ${API_NICE}` : 'as started';
	logger.info({apiPriority, renderPriority: slots > 0 ? renderPriority : null}, `API thread: ${apiPriority}${slots > 0 ? `; renders: ${renderPriority}` : ''}`);
	const workerReady = renderThread?.ready ?? Promise.resolve();
	workerReady.catch((err: unknown) => logger.error({err}, 'the workers could not start'));

	return {
		url,
		slots,
		apiKeys: keys,
		createdApiKey: created,
		workerReady,
		close: async () => {
			await app.close();
			// Webhooks in flight are finished (at most their retries) while the workers hand back their chunks.
			await Promise.all([sweeper.stop(), notifier.stop(), renderThread?.stop(), siteBrowser?.then((browser) => browser.close()).catch(() => undefined)]);
			await backend.close();
			rateLimitStore?.redis.disconnect();
		},
	};
};
