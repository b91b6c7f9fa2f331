import path from 'node:path';
import type {Config} from '../config/load-config.js';
import type {Backend} from './backend.js';
import {createBullmqBackend} from './bullmq/create-bullmq-backend.js';
import {createLocalBackend} from './local/create-local-backend.js';

/** The backend the configuration asks for: BullMQ when FRAMEFARM_REDIS_URL is set, else SQLite in the data dir. */
export const createBackend = async (config: Config, log: (line: string) => void = () => undefined): Promise<Backend> =>
	config.redis === null
		? createLocalBackend({file: path.join(config.dataDir, 'framefarm.db'), maxRenders: config.maxRenders, chunkRetries: config.chunkRetries})
		: createBullmqBackend({
				redisUrl: config.redis.url,
				prefix: config.redis.prefix,
				lockDurationMs: config.redis.lockDurationMs,
				maxRenders: config.maxRenders,
				chunkRetries: config.chunkRetries,
				log,
			});
