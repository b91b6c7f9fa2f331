import type {Redis} from 'ioredis';
import {ConfigError} from '../../config/config-error.js';

const configValue = async (connection: Redis, name: string): Promise<string | null> => {
	const answer = (await connection.config('GET', name)) as string[];
	return answer[1] ?? null;
};

/**
 * Whether the Redis framefarm is given keeps what BullMQ and the render state put there. A
 * `maxmemory-policy` other than `noeviction` lets Redis drop queued jobs and locks under memory
 * pressure (BullMQ requires noeviction): refused. No append-only file and no snapshots: every
 * render, queued or running, is lost when Redis restarts: said loudly, since a test or a cache
 * instance may be meant so. A Redis that does not let clients read its config (some hosted ones)
 * is taken on trust, with a note.
 */
export const checkRedisDurability = async (connection: Redis, where: string, log: (line: string) => void): Promise<void> => {
	let values: (string | null)[];
	try {
		values = await Promise.all(['maxmemory-policy', 'appendonly', 'save'].map((name) => configValue(connection, name)));
	} catch (err) {
		log(`could not read the configuration of Redis at ${where} (${(err as Error).message}); make sure it runs with maxmemory-policy noeviction and appendonly yes`);
		return;
	}
	const [policy = null, appendOnly = null, save = null] = values;
	if (policy !== null && policy !== 'noeviction') {
		throw new ConfigError(
			`Redis at ${where} has maxmemory-policy ${policy}: it may evict queued renders and job locks. Set "maxmemory-policy noeviction" (BullMQ requires it).`,
		);
	}
	if (appendOnly !== 'yes') {
		const loses = save === null || save.trim() === '' ? 'every queued and running render' : 'the renders submitted since its last snapshot';
		log(
			`WARNING: Redis at ${where} runs without an append-only file (appendonly ${appendOnly ?? 'unknown'}): a restart of Redis loses ${loses}. Run it with "appendonly yes" and "appendfsync everysec" (or always).`,
		);
	}
};
