import os from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {DEFAULT_MAX_FRAMES_PER_CHUNK} from '../render/plan-chunks.js';
import {MAX_DIMENSION, MAX_DURATION_IN_FRAMES, MAX_FPS} from '../render/render-input.js';
import {DEFAULT_SUBMIT_LIMITS} from '../server/submit-limits.js';
import {ConfigError} from './config-error.js';
import {defaultSlots} from './default-slots.js';

/** Everything framefarm reads from its environment, checked once. Nothing else reads process.env. */
export type Config = z.infer<typeof configSchema>;

/** Flags a command passes; each overrides its environment variable. */
export type ConfigFlags = Partial<{
	dataDir: string;
	cacheDir: string;
	concurrency: number;
	port: number;
	host: string;
	serverUrl: string;
	apiKey: string;
}>;

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const optionalString = z
	.string()
	.optional()
	.transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()));

// "https://cdn.example.com" or "https://cdn.example.com/": a scheme, a host and maybe a port, no path.
const originOf = (entry: string): string | null => {
	try {
		const url = new URL(entry);
		const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
		return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : null;
	} catch {
		return null;
	}
};

const DURATION_UNITS = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

// "7d", "12h", "30m", "90s" or "500ms", as milliseconds.
const duration = (max: {ms: number; says: string} | null = null) =>
	z.string().transform((value, ctx) => {
		const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim());
		const ms = match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : 0;
		if (!(ms >= 1)) {
			ctx.addIssue({code: 'custom', message: `"${value}" is not a duration such as 7d, 12h, 30m or 90s`});
			return z.NEVER;
		}
		if (max !== null && ms > max.ms) {
			ctx.addIssue({code: 'custom', message: `"${value}" is longer than ${max.says}`});
			return z.NEVER;
		}
		return ms;
	});

// SigV4 presigned URLs last at most 7 days.
const MAX_URL_EXPIRY = {ms: 7 * 86_400_000, says: '7d, the longest a presigned S3 URL lasts'};

const configSchema = z.object({
	dataDir: z.string().min(1),
	cacheDir: z.string().min(1),
	/** Worker slots asked for (each renders one chunk at a time on its own browser); null: see workerSlots(). */
	concurrency: z.union([z.null(), positiveInt]),
	framesPerChunk: positiveInt,
	/** How the farm cuts a render into chunks when the client does not say (see AppContext). */
	chunkPlan: z.enum(['watch', 'even'], {message: 'must be watch or even'}),
	/** How many times a failed chunk is tried again before the render fails. */
	chunkRetries: nonNegativeInt,
	browserExecutable: optionalString,
	/** Longest a frame may take (Remotion's delayRender timeout). */
	frameTimeoutMs: positiveInt,
	/** Longest a chunk may take; past it the page is taken for hung (an endless loop) and the chunk fails. */
	chunkTimeoutMs: positiveInt,
	/** Longest a render may take from its start. */
	renderTimeoutMs: positiveInt,
	/** Most memory a browser may use while rendering a chunk (all its processes); 0: no limit. */
	browserMemoryMb: nonNegativeInt,
	/**
	 * Where `serve`'s renders stand against the rest of the machine: 'background' yields the CPU to
	 * the API and to everything else (Linux's idle class, nice 19); 'normal' shares it evenly;
	 * 'auto' is 'normal' where the API thread could take a real-time class, else 'background'.
	 */
	renderPriority: z.enum(['auto', 'background', 'normal'], {message: 'must be auto, background or normal'}),
	/** Origins a rendered page may fetch besides the farm's bundle server; none by default. */
	allowedOrigins: z
		.string()
		.optional()
		.transform((value, ctx) => {
			const origins: string[] = [];
			for (const entry of (value ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
				const origin = originOf(entry);
				if (origin === null) {
					ctx.addIssue({code: 'custom', message: `"${entry}" is not an origin such as https://cdn.example.com`});
					return z.NEVER;
				}
				origins.push(origin);
			}
			return origins;
		}),
	/** Webhook hosts (host or host:port) allowed on loopback, private or link-local addresses. */
	allowedWebhookHosts: z
		.string()
		.optional()
		.transform((value) => (value ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean)),
	port: z.coerce.number().int().min(0).max(65535),
	host: z.string().min(1),
	logLevel: z.enum(['error', 'warn', 'info', 'verbose']),
	/** JSON lines, or lines for people; 'auto': pretty on a terminal, JSON otherwise. */
	logFormat: z.enum(['json', 'pretty', 'auto'], {message: 'must be json, pretty or auto'}),
	/** When set, GET /metrics (serve, and a worker's --metrics-port) asks for it as a bearer token. */
	metricsToken: optionalString,
	/** What the API takes from one key (see SubmitLimits). */
	limits: z.object({
		maxDurationInFrames: positiveInt.max(MAX_DURATION_IN_FRAMES, `must be at most ${MAX_DURATION_IN_FRAMES}`),
		minFps: z.coerce.number().positive(),
		maxFps: z.coerce.number().positive().max(MAX_FPS, `must be at most ${MAX_FPS}`),
		maxWidth: positiveInt.max(MAX_DIMENSION, `must be at most ${MAX_DIMENSION}`),
		maxHeight: positiveInt.max(MAX_DIMENSION, `must be at most ${MAX_DIMENSION}`),
		maxCodeBytes: positiveInt,
		maxBodyBytes: positiveInt,
		submitsPerMinute: positiveInt,
		maxQueuedPerKey: positiveInt,
	}),
	/** How long finished renders (records and files) are kept: "7d", "12h", "30m", "90s". */
	retentionMs: duration(),
	/** Signs the header-free output URLs of the API's /files/ route; null: one kept in the data dir. */
	urlSecret: optionalString,
	/** How long a header-free output URL (signed or presigned) works after it is handed out. */
	urlExpiresMs: duration(MAX_URL_EXPIRY),
	/** Space the local bucket leaves free on the data dir's disk, for the state database. */
	minFreeDiskMb: nonNegativeInt,
	/** How long a bucket call is retried while the S3 endpoint does not answer, before it fails its render. */
	storageRetryMs: duration(),
	/** Renders that run at once; the others wait in the queue. */
	maxRenders: positiveInt,
	/** Accepted API keys; null: serve keeps a generated one in the data dir. */
	apiKeys: z
		.string()
		.optional()
		.transform((value) => {
			const keys = (value ?? '').split(',').map((key) => key.trim()).filter(Boolean);
			return keys.length > 0 ? keys : null;
		}),
	/** The URL clients reach this server at; default http://host:port. */
	publicUrl: optionalString.transform((value) => (value === null ? null : value.replace(/\/+$/, ''))),
	bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name (a-z, 0-9, . and -)'),
	pricePerGbSecond: z.coerce.number().nonnegative(),
	workerMemoryGb: z.coerce.number().positive(),
	pricePerInvocation: z.coerce.number().nonnegative(),
	storageCredentials: z.object({accessKeyId: optionalString, secretAccessKey: optionalString}),
	/** Distributed storage: an S3-compatible bucket; null keeps the data dir's bucket folder. */
	s3: z
		.object({
			bucket: optionalString,
			endpoint: optionalString,
			region: z.string().min(1),
			forcePathStyle: z.enum(['true', 'false']).optional(),
			urlMode: z.enum(['presigned', 'api']),
		})
		.transform(({bucket, forcePathStyle, ...rest}) =>
			bucket === null ? null : {bucket, ...rest, forcePathStyle: forcePathStyle === undefined ? rest.endpoint !== null : forcePathStyle === 'true'},
		),
	/** Distributed queue and state: BullMQ on this Redis; null keeps SQLite in the data dir. */
	redis: z
		.object({url: optionalString, prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _ . or -'), lockDurationMs: positiveInt})
		.transform(({url, ...rest}) => (url === null ? null : {url, ...rest})),
	/** For the CLI as a client: the server to talk to and the key to use. */
	serverUrl: z.string().url('must be a URL such as http://127.0.0.1:3000'),
	clientApiKey: optionalString,
});

// Where each setting comes from, so an error names what the user has to change.
const SOURCES: {[key in keyof Config]: string} = {
	dataDir: '--data-dir / FRAMEFARM_DATA_DIR',
	cacheDir: 'FRAMEFARM_CACHE_DIR',
	concurrency: '--concurrency / FRAMEFARM_CONCURRENCY',
	framesPerChunk: 'FRAMEFARM_FRAMES_PER_CHUNK',
	chunkPlan: 'FRAMEFARM_CHUNK_PLAN',
	chunkRetries: 'FRAMEFARM_CHUNK_RETRIES',
	browserExecutable: 'FRAMEFARM_BROWSER_EXECUTABLE',
	frameTimeoutMs: 'FRAMEFARM_FRAME_TIMEOUT_MS',
	chunkTimeoutMs: 'FRAMEFARM_CHUNK_TIMEOUT_MS',
	browserMemoryMb: 'FRAMEFARM_BROWSER_MEMORY_MB',
	renderPriority: 'FRAMEFARM_RENDER_PRIORITY',
	renderTimeoutMs: 'FRAMEFARM_RENDER_TIMEOUT_MS',
	allowedOrigins: 'FRAMEFARM_ALLOWED_ORIGINS',
	allowedWebhookHosts: 'FRAMEFARM_ALLOWED_WEBHOOK_HOSTS',
	port: '--port / FRAMEFARM_PORT',
	host: '--host / FRAMEFARM_HOST',
	logLevel: 'FRAMEFARM_LOG_LEVEL',
	logFormat: 'FRAMEFARM_LOG_FORMAT',
	metricsToken: 'FRAMEFARM_METRICS_TOKEN',
	maxRenders: 'FRAMEFARM_MAX_RENDERS',
	retentionMs: 'FRAMEFARM_RETENTION',
	urlSecret: 'FRAMEFARM_URL_SECRET',
	urlExpiresMs: 'FRAMEFARM_URL_EXPIRES',
	storageRetryMs: 'FRAMEFARM_S3_RETRY',
	minFreeDiskMb: 'FRAMEFARM_MIN_FREE_MB',
	limits:
		'FRAMEFARM_MAX_DURATION_IN_FRAMES / FRAMEFARM_MIN_FPS / FRAMEFARM_MAX_FPS / FRAMEFARM_MAX_WIDTH / FRAMEFARM_MAX_HEIGHT / FRAMEFARM_MAX_CODE_BYTES / FRAMEFARM_MAX_BODY_BYTES / FRAMEFARM_RATE_LIMIT / FRAMEFARM_MAX_QUEUED_PER_KEY',
	apiKeys: 'FRAMEFARM_API_KEYS',
	publicUrl: 'FRAMEFARM_PUBLIC_URL',
	bucketName: 'FRAMEFARM_BUCKET_NAME',
	pricePerGbSecond: 'FRAMEFARM_PRICE_PER_GB_SECOND',
	workerMemoryGb: 'FRAMEFARM_WORKER_MEMORY_GB',
	pricePerInvocation: 'FRAMEFARM_PRICE_PER_INVOCATION',
	redis: 'FRAMEFARM_REDIS_URL / FRAMEFARM_REDIS_PREFIX / FRAMEFARM_LOCK_MS',
	s3: 'FRAMEFARM_S3_BUCKET / FRAMEFARM_S3_ENDPOINT / FRAMEFARM_S3_REGION / FRAMEFARM_S3_FORCE_PATH_STYLE / FRAMEFARM_S3_URLS',
	serverUrl: '--server / FRAMEFARM_SERVER_URL',
	clientApiKey: '--api-key / FRAMEFARM_API_KEY',
	storageCredentials: 'REMOTION_AWS_ACCESS_KEY_ID / AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY / AWS_SECRET_ACCESS_KEY',
};

const defaultCacheDir = (env: NodeJS.ProcessEnv): string =>
	path.join(env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), '.cache'), 'framefarm');

export const loadConfig = (flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config => {
	const parsed = configSchema.safeParse({
		dataDir: path.resolve(flags.dataDir ?? env.FRAMEFARM_DATA_DIR ?? '.framefarm'),
		cacheDir: path.resolve(flags.cacheDir ?? env.FRAMEFARM_CACHE_DIR ?? defaultCacheDir(env)),
		concurrency: flags.concurrency ?? env.FRAMEFARM_CONCURRENCY ?? null,
		framesPerChunk: env.FRAMEFARM_FRAMES_PER_CHUNK ?? DEFAULT_MAX_FRAMES_PER_CHUNK,
		chunkPlan: env.FRAMEFARM_CHUNK_PLAN ?? 'watch',
		chunkRetries: env.FRAMEFARM_CHUNK_RETRIES ?? 1,
		browserExecutable: env.FRAMEFARM_BROWSER_EXECUTABLE,
		frameTimeoutMs: env.FRAMEFARM_FRAME_TIMEOUT_MS ?? 30_000,
		chunkTimeoutMs: env.FRAMEFARM_CHUNK_TIMEOUT_MS ?? 600_000,
		browserMemoryMb: env.FRAMEFARM_BROWSER_MEMORY_MB ?? 3072,
		renderPriority: env.FRAMEFARM_RENDER_PRIORITY ?? 'auto',
		renderTimeoutMs: env.FRAMEFARM_RENDER_TIMEOUT_MS ?? 3_600_000,
		allowedOrigins: env.FRAMEFARM_ALLOWED_ORIGINS,
		allowedWebhookHosts: env.FRAMEFARM_ALLOWED_WEBHOOK_HOSTS,
		port: flags.port ?? env.FRAMEFARM_PORT ?? 3000,
		host: flags.host ?? env.FRAMEFARM_HOST ?? '127.0.0.1',
		logLevel: env.FRAMEFARM_LOG_LEVEL ?? 'info',
		logFormat: env.FRAMEFARM_LOG_FORMAT ?? 'auto',
		metricsToken: env.FRAMEFARM_METRICS_TOKEN,
		maxRenders: env.FRAMEFARM_MAX_RENDERS ?? 1,
		retentionMs: env.FRAMEFARM_RETENTION ?? '7d',
		urlSecret: env.FRAMEFARM_URL_SECRET,
		urlExpiresMs: env.FRAMEFARM_URL_EXPIRES ?? '24h',
		storageRetryMs: env.FRAMEFARM_S3_RETRY ?? '30s',
		minFreeDiskMb: env.FRAMEFARM_MIN_FREE_MB ?? 100,
		limits: {
			maxDurationInFrames: env.FRAMEFARM_MAX_DURATION_IN_FRAMES ?? DEFAULT_SUBMIT_LIMITS.maxDurationInFrames,
			minFps: env.FRAMEFARM_MIN_FPS ?? DEFAULT_SUBMIT_LIMITS.minFps,
			maxFps: env.FRAMEFARM_MAX_FPS ?? DEFAULT_SUBMIT_LIMITS.maxFps,
			maxWidth: env.FRAMEFARM_MAX_WIDTH ?? DEFAULT_SUBMIT_LIMITS.maxWidth,
			maxHeight: env.FRAMEFARM_MAX_HEIGHT ?? DEFAULT_SUBMIT_LIMITS.maxHeight,
			maxCodeBytes: env.FRAMEFARM_MAX_CODE_BYTES ?? DEFAULT_SUBMIT_LIMITS.maxCodeBytes,
			maxBodyBytes: env.FRAMEFARM_MAX_BODY_BYTES ?? DEFAULT_SUBMIT_LIMITS.maxBodyBytes,
			submitsPerMinute: env.FRAMEFARM_RATE_LIMIT ?? DEFAULT_SUBMIT_LIMITS.submitsPerMinute,
			maxQueuedPerKey: env.FRAMEFARM_MAX_QUEUED_PER_KEY ?? DEFAULT_SUBMIT_LIMITS.maxQueuedPerKey,
		},
		apiKeys: env.FRAMEFARM_API_KEYS,
		publicUrl: env.FRAMEFARM_PUBLIC_URL,
		bucketName: env.FRAMEFARM_BUCKET_NAME ?? 'framefarm',
		// AWS Lambda x86 prices, so the estimate reads like Remotion Lambda's.
		pricePerGbSecond: env.FRAMEFARM_PRICE_PER_GB_SECOND ?? 0.0000166667,
		workerMemoryGb: env.FRAMEFARM_WORKER_MEMORY_GB ?? 2,
		pricePerInvocation: env.FRAMEFARM_PRICE_PER_INVOCATION ?? 0.0000002,
		redis: {
			url: env.FRAMEFARM_REDIS_URL,
			prefix: env.FRAMEFARM_REDIS_PREFIX ?? 'framefarm',
			// A dead worker's chunk goes to another worker about this long after its last sign of life.
			lockDurationMs: env.FRAMEFARM_LOCK_MS ?? 30_000,
		},
		s3: {
			bucket: env.FRAMEFARM_S3_BUCKET,
			endpoint: env.FRAMEFARM_S3_ENDPOINT,
			region: env.FRAMEFARM_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
			forcePathStyle: env.FRAMEFARM_S3_FORCE_PATH_STYLE,
			urlMode: env.FRAMEFARM_S3_URLS ?? 'presigned',
		},
		serverUrl: flags.serverUrl ?? env.FRAMEFARM_SERVER_URL ?? 'http://127.0.0.1:3000',
		clientApiKey: flags.apiKey ?? env.FRAMEFARM_API_KEY,
		storageCredentials: {
			accessKeyId: env.REMOTION_AWS_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID,
			secretAccessKey: env.REMOTION_AWS_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY,
		},
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const key = issue?.path[0] as keyof Config | undefined;
		const source = key ? SOURCES[key] : 'configuration';
		throw new ConfigError(`Invalid ${source}: ${issue?.message ?? 'invalid value'}`);
	}
	return parsed.data;
};

/**
 * Worker slots for a command: `--concurrency` / FRAMEFARM_CONCURRENCY when given, else one a core
 * (see defaultSlots), except for an API server in distributed mode, which leaves rendering to
 * the workers.
 */
export const workerSlots = (config: Config, command: 'serve' | 'worker' | 'render'): number =>
	config.concurrency ?? (command === 'serve' && config.redis !== null ? 0 : defaultSlots());

/** How long a frame and a chunk may take and how much memory a browser may use, as the worker takes them. */
export const renderLimits = (config: Config): {frameMs: number; chunkMs: number; renderMs: number; memoryBytes: number | null} => ({
	frameMs: config.frameTimeoutMs,
	chunkMs: config.chunkTimeoutMs,
	renderMs: config.renderTimeoutMs,
	memoryBytes: config.browserMemoryMb === 0 ? null : config.browserMemoryMb * 1024 * 1024,
});
