import {FramefarmApiError} from '../client/api-error.js';

/** A FramefarmApiError's status and code, on the error Lambda's client would throw instead. */
const withApiFields = <E extends Error>(error: E, cause: FramefarmApiError): E & {status: number; code: string | null} =>
	Object.assign(error, {status: cause.status, code: cause.code, cause});

/**
 * Runs a call to the farm and throws what Remotion Lambda's client throws where user code tests
 * for it: for a render that does not exist, an Error whose message starts "No render with ID";
 * for a bad option, a TypeError with framefarm's message (which names the field). Anything else
 * stays a FramefarmApiError. Each keeps the answer's `status` and `code`.
 */
export const asLambdaCall = async <T>(call: () => Promise<T>, render?: {renderId: string; bucketName?: unknown; region?: unknown}): Promise<T> => {
	try {
		return await call();
	} catch (err) {
		if (!(err instanceof FramefarmApiError)) {
			throw err;
		}
		if (err.status === 404 && render !== undefined) {
			throw withApiFields(new Error(`No render with ID "${render.renderId}" found in bucket ${String(render.bucketName ?? 'framefarm')} and region ${String(render.region ?? 'us-east-1')}`), err);
		}
		if (err.status === 400) {
			throw withApiFields(new TypeError(err.message), err);
		}
		throw err;
	}
};
