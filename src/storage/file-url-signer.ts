import crypto from 'node:crypto';

export type FileUrlCheck = {ok: true} | {ok: false; reason: 'expired' | 'invalid'};

/**
 * URLs of the API's /files/ route that work without a header (a `<video src>`, a download link, a
 * webhook's outputUrl): capabilities, like presigned S3 URLs. Each carries its expiry and an
 * HMAC-SHA256 of the key and that expiry with the server's secret, so every API server sharing
 * the secret accepts it. A URL for a folder (a key ending in "/") opens that folder and what is in it.
 */
export type FileUrlSigner = {
	url: (key: string, expiresInSeconds?: number) => string;
	check: (key: string, query: {expires?: unknown; signature?: unknown}) => FileUrlCheck;
};

/** For processes that store files but hand no URLs out (workers, the render thread, the CLI). */
export const NO_FILE_URLS = (key: string, _expiresInSeconds?: number): string => {
	throw new Error(`Only an API server hands out file URLs (asked for ${key})`);
};

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export const createFileUrlSigner = ({
	secret,
	expiresInSeconds,
	baseUrl,
	now = Date.now,
}: {
	secret: string;
	expiresInSeconds: number;
	/** This API as clients reach it (read on each call: the port may be known late). */
	baseUrl: () => string;
	now?: () => number;
}): FileUrlSigner => {
	const sign = (key: string, expires: number) => crypto.createHmac('sha256', secret).update(`GET\n${key}\n${expires}`).digest('hex');
	// Expiries are rounded up to a step, so a URL polled again within the step is the same URL and
	// a <video> given it does not reload; a URL lives between the setting and the setting plus a step.
	const step = Math.max(1, Math.min(3600, Math.floor(expiresInSeconds / 10)));
	const signedFor = (signedKey: string, expires: unknown, signature: unknown): boolean => {
		if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) {
			return false;
		}
		return crypto.timingSafeEqual(Buffer.from(sign(signedKey, Number(expires)), 'hex'), Buffer.from(signature, 'hex'));
	};
	return {
		url: (key, lifetime) => {
			// An asked-for lifetime (presignUrl()) is kept to the second; the default one is rounded up.
			const expires = lifetime === undefined ? Math.ceil((now() / 1000 + expiresInSeconds) / step) * step : Math.ceil(now() / 1000 + lifetime);
			return `${baseUrl()}/files/${encodeKey(key)}?expires=${expires}&signature=${sign(key, expires)}`;
		},
		check: (key, {expires, signature}) => {
			if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires)) {
				return {ok: false, reason: 'invalid'};
			}
			// The key itself, or a folder above it whose URL was handed out.
			const folders = key
				.split('/')
				.slice(0, -1)
				.map((_, index, parts) => `${parts.slice(0, index + 1).join('/')}/`);
			if (![key, ...folders].some((signedKey) => signedFor(signedKey, expires, signature))) {
				return {ok: false, reason: 'invalid'};
			}
			return Number(expires) * 1000 < now() ? {ok: false, reason: 'expired'} : {ok: true};
		},
	};
};
