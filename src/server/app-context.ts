import type {Backend} from '../backend/backend.js';
import type {Pricing} from '../progress/estimate-cost.js';
import type {Storage} from '../storage/storage.js';
import type {SubmitLimits} from './submit-limits.js';

/** What the routes need, handed to buildApp(): drivers behind their interfaces, and settings. */
export type AppContext = {
	backend: Backend;
	storage: Storage;
	/** Returns the owner of a valid `Authorization` header, null otherwise. */
	authenticate: (authorization: string | undefined) => string | null;
	/** Base URL of this API as clients reach it, without a trailing slash. */
	publicUrl: string;
	pricing: Pricing;
	defaultFramesPerChunk: number;
	limits: SubmitLimits;
	/** The local bucket folder to serve under /files/, or null when storage serves its own URLs. */
	filesRoot: string | null;
	/** A configuration problem that stops renders from being accepted (missing storage credentials). */
	storageProblem: string | null;
	now: () => number;
};
