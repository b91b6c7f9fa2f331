import {Redis} from 'ioredis';

/** The Redis these machines run on loopback; tests use a unique key prefix each and remove it after. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Deletes every key under a test prefix. */
export const deletePrefix = async (prefix: string) => {
	const redis = new Redis(REDIS_URL);
	let cursor = '0';
	do {
		const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
		cursor = next;
		if (keys.length > 0) {
			await redis.del(...keys);
		}
	} while (cursor !== '0');
	redis.disconnect();
};
