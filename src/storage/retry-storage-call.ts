/** A storage operation that failed for as long as it was retried; its message names where and what. */
export class StorageUnavailableError extends Error {
	override readonly name = 'StorageUnavailableError';
	readonly code = 'storage_unavailable';
}

// The SDK's own error for a missing key, a refused credential...: an answer, not an outage.
const isAnswer = (err: unknown): boolean => {
	const status = (err as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
	return status !== undefined && status < 500 && status !== 429;
};

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

/**
 * Runs `call` until it succeeds, retrying what looks like an outage (no answer, a 5xx, a 429)
 * with exponential backoff (0.5 s, 1 s, 2 s ... at most 8 s apart) for up to `retryForMs`; then
 * throws a StorageUnavailableError saying where and what. A definite answer (404, 403) is thrown
 * at once. `call` starts afresh each time: a body stream is opened again for every attempt.
 */
export const retryStorageCall = async <T>(
	call: () => Promise<T>,
	{what, where, retryForMs, signal}: {what: string; where: string; retryForMs: number; signal?: AbortSignal},
): Promise<T> => {
	const giveUpAt = Date.now() + retryForMs;
	let delay = FIRST_DELAY_MS;
	let attempts = 0;
	for (;;) {
		attempts++;
		try {
			return await call();
		} catch (err) {
			if (isAnswer(err) || signal?.aborted) {
				throw err;
			}
			if (Date.now() + delay > giveUpAt) {
				const seconds = Math.round(retryForMs / 1000);
				throw new StorageUnavailableError(`${where} did not answer ${what} in ${attempts} attempts over ${seconds} s: ${(err as Error).message || (err as Error).name}`, {cause: err});
			}
			await new Promise((resolve) => setTimeout(resolve, delay));
			delay = Math.min(delay * 2, MAX_DELAY_MS);
		}
	}
};
