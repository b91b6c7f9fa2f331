import crypto from 'node:crypto';
import {after} from 'node:test';
import {createBullmqBackend} from '../src/backend/bullmq/create-bullmq-backend.js';
import {backendConformance} from './backend-conformance.js';
import {deletePrefix, REDIS_URL} from './redis-helpers.js';

// A fresh prefix for every backend the suite opens, removed afterwards.
const prefixes: string[] = [];
after(async () => {
	for (const prefix of prefixes) {
		await deletePrefix(prefix);
	}
});

backendConformance('BullMQ on Redis', async (options) => {
	const prefix = `framefarm-test-${crypto.randomBytes(6).toString('hex')}`;
	prefixes.push(prefix);
	return createBullmqBackend({redisUrl: REDIS_URL, prefix, lockDurationMs: 5000, ...options});
});
