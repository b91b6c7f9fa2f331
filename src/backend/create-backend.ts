import path from 'node:path';
import type {Config} from '../config/load-config.js';
import type {Backend} from './backend.js';
import {createBullmqBackend} from './bullmq/create-bullmq-backend.js';
import {createLocalBackend} from './local/create-local-backend.js';
import type {RenderEvents} from './render-events.js';

export type BackendListeners = {
	/** Where the backend tells of trouble it rides out (Redis away and back). */
	log?: (line: string) => void;
	events?: RenderEvents;
	onRedisError?: (operation: string) => void;
};

/** The backend the configuration asks for: BullMQ when FRAMEFARM_REDIS_URL is set, else SQLite in the data dir. */
export const createBackend = async (config: Config, {log, events, onRedisError}: BackendListeners = {}): Promise<Backend> =>
	config.redis === null
		? createLocalBackend({file: path.join(config.dataDir, 'framefarm.db'), maxRenders: config.maxRenders, chunkRetries: config.chunkRetries, events})
		: createBullmqBackend({
				redisUrl: config.redis.url,
				prefix: config.redis.prefix,
				lockDurationMs: config.redis.lockDurationMs,
				maxRenders: config.maxRenders,
				chunkRetries: config.chunkRetries,
				log,
				events,
				onRedisError,
			});
