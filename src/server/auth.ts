import crypto from 'node:crypto';

/** Who made a request: a short hash of the API key, stored with each render instead of the key. */
export const keyOwner = (key: string): string => crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <key>` against the accepted keys. Every key is compared, in
 * constant time over fixed-length digests, so timing reveals neither a key nor which matched.
 */
export const createAuth = (keys: readonly string[]) => {
	const accepted = keys.map(digest);
	return (authorization: string | undefined): string | null => {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!match?.[1]) {
			return null;
		}
		const given = digest(match[1]);
		let found = false;
		for (const key of accepted) {
			found = crypto.timingSafeEqual(key, given) || found;
		}
		return found ? keyOwner(match[1]) : null;
	};
};
