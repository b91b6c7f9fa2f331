import type {Backend} from '../backend/backend.js';
import type {FarmMetrics} from '../metrics/farm-metrics.js';
import type {SiteBrowser} from '../sites/site-browser.js';
import type {SiteStore} from '../sites/site-store.js';
import type {Pricing} from '../progress/estimate-cost.js';
import type {FileUrlSigner} from '../storage/file-url-signer.js';
import type {Storage} from '../storage/storage.js';
import type {SubmitLimits} from './submit-limits.js';
import type {RateLimitStore} from './submit-rate-limit.js';

/** What the routes need, handed to buildApp(): drivers behind their interfaces, and settings. */
export type AppContext = {
	backend: Backend;
	storage: Storage;
	/** Returns the owner of a valid `Authorization` header, null otherwise. */
	authenticate: (authorization: string | undefined) => string | null;
	/** Base URL of this API as clients reach it, without a trailing slash. */
	publicUrl: string;
	pricing: Pricing;
	/** How long a render may run (FRAMEFARM_RENDER_TIMEOUT_MS), for the progress object's timeoutTimestamp. */
	renderTimeoutMs: number;
	/** The most frames a chunk gets when the client does not say. */
	defaultFramesPerChunk: number;
	/** Worker slots rendering this server's renders, when known (embedded mode), to balance chunks over. */
	renderSlots: {slots: number; slotsBesideFirstChunk: number} | null;
	/** 'watch': renders with a live stream start with a short chunk (FRAMEFARM_CHUNK_PLAN); 'even': chunks of one size. */
	chunkPlan: 'watch' | 'even';
	limits: SubmitLimits;
	/** Where the per-key submit rate is counted: Redis in distributed mode, shared by every API server. */
	rateLimitStore: RateLimitStore;
	/** Webhook hosts allowed although they are on loopback, private or link-local addresses. */
	allowedWebhookHosts: readonly string[];
	/** Deployed sites, per key, in the bucket. */
	sites: SiteStore;
	/** The API's own browser: a deployed site's composition for some inputProps, and stills; throws CompositionError for the client's mistakes. */
	siteBrowser: Pick<SiteBrowser, 'resolveComposition' | 'listCompositions' | 'renderStill'>;
	/** Signs and checks the header-free URLs of /files/ (the bucket through the API). */
	fileUrls: FileUrlSigner;
	/** A configuration problem that stops renders from being accepted (missing storage credentials). */
	storageProblem: string | null;
	metrics: FarmMetrics;
	/** When set, GET /metrics asks for it as a bearer token (FRAMEFARM_METRICS_TOKEN). */
	metricsToken: string | null;
	now: () => number;
};
