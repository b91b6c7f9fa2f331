/** Per-key token buckets: `perMinute` tokens, refilled evenly; each submit takes one. */
export type RateLimiter = {
	/** Takes a token for the key; when none is left, how many seconds until one is. */
	take: (key: string) => {ok: true} | {ok: false; retryAfterSeconds: number};
};

export const createRateLimiter = ({perMinute, now}: {perMinute: number; now: () => number}): RateLimiter => {
	const msPerToken = 60_000 / perMinute;
	const buckets = new Map<string, {tokens: number; at: number}>();
	return {
		take: (key) => {
			const time = now();
			const bucket = buckets.get(key) ?? {tokens: perMinute, at: time};
			bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) / msPerToken);
			bucket.at = time;
			buckets.set(key, bucket);
			if (bucket.tokens >= 1) {
				bucket.tokens -= 1;
				return {ok: true};
			}
			return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000))};
		},
	};
};
