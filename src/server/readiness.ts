import type {AppContext} from './app-context.js';
import {inTime} from '../async/in-time.js';

// A bucket that has not answered a probe within this long is taken for unreachable.
const PROBE_TIMEOUT_MS = 2000;
// What the probe asks the bucket for: any key will do, it need not exist.
const PROBE_KEY = 'ready-probe';

/**
 * What GET /ready checks: the bucket is configured, the backend can serve (SQLite open, or its
 * Redis answering), and the bucket answers a HEAD within 2 s. Null when ready, else the reason.
 * One probe is in flight at a time: a load balancer polling during an S3 outage does not pile
 * up requests that the storage driver keeps retrying.
 */
export const createReadiness = (context: Pick<AppContext, 'storage' | 'storageProblem' | 'backend'>): (() => Promise<string | null>) => {
	let probe: Promise<string | null> | null = null;
	const probeBucket = () =>
		(probe ??= context.storage
			.head(PROBE_KEY)
			.then(
				() => null,
				(err: Error) => `The bucket ${context.storage.bucketName} did not answer: ${err.message}`,
			)
			.finally(() => {
				probe = null;
			}));
	return async () => {
		const known = context.storageProblem ?? context.backend.problem();
		if (known !== null) {
			return known;
		}
		return inTime(probeBucket(), PROBE_TIMEOUT_MS, () => `The bucket ${context.storage.bucketName} has not answered for ${PROBE_TIMEOUT_MS / 1000} s`);
	};
};
