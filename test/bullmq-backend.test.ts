import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {after, describe, it} from 'node:test';
import {createBullmqBackend} from '../src/backend/bullmq/create-bullmq-backend.js';
import {backendConformance, newRender} from './backend-conformance.js';
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

describe('BullMQ backend: a webhook claimed by an API server that dies', () => {
	it('is handed out again once its lease runs out, and never after it is completed', async () => {
		const prefix = `framefarm-test-${crypto.randomBytes(6).toString('hex')}`;
		prefixes.push(prefix);
		const backend = await createBullmqBackend({redisUrl: REDIS_URL, prefix, lockDurationMs: 5000, maxRenders: 1, chunkRetries: 0, webhookLeaseMs: 500});
		try {
			const render = await backend.submitRender(newRender('lease', {durationInFrames: 20, webhook: {url: 'https://hooks.example.com/x', secret: 's', customData: null}}));
			assert.equal((await backend.claimTask('w/slot-0'))?.type, 'chunk');
			await backend.completeChunk(render.id, 0, {busyMs: 1, bytes: 1});
			assert.equal((await backend.claimTask('w/slot-0'))?.type, 'stitch');
			await backend.completeRender(render.id, {outKey: `renders/${render.id}/out.mp4`, outSize: 1});
			assert.equal((await backend.claimWebhook())?.id, render.id);
			// The server that claimed it dies here, before completeWebhook().
			assert.equal(await backend.claimWebhook(), null, 'held while the lease lasts');
			await new Promise((resolve) => setTimeout(resolve, 700));
			assert.equal((await backend.claimWebhook())?.id, render.id, 'another server takes it after the lease');
			await backend.completeWebhook(render.id);
			await new Promise((resolve) => setTimeout(resolve, 700));
			assert.equal(await backend.claimWebhook(), null, 'a completed webhook is never handed out again');
		} finally {
			await backend.close();
		}
	});
});

describe('BullMQ backend: many one-chunk renders taken by slots side by side', () => {
	it('finishes every one: no chunk is taken before its render counts as started', async () => {
		const prefix = `framefarm-test-${crypto.randomBytes(6).toString('hex')}`;
		prefixes.push(prefix);
		const backend = await createBullmqBackend({redisUrl: REDIS_URL, prefix, lockDurationMs: 5000, maxRenders: 2, chunkRetries: 0});
		try {
			const ids: string[] = [];
			for (let i = 0; i < 100; i++) {
				ids.push((await backend.submitRender(newRender('many', {durationInFrames: 2, framesPerChunk: 2}))).id);
			}
			// Slots asking at once, each doing its task at once: the interleaving the load run found.
			const deadline = Date.now() + 60_000;
			let finished = false;
			const watch = async () => {
				while (!finished && Date.now() < deadline) {
					finished = (await Promise.all(ids.map((id) => backend.getRender(id)))).every((render) => render?.status === 'done');
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
				finished = true;
			};
			const slot = async (name: string) => {
				while (!finished) {
					const task = await backend.claimTask(name);
					if (task?.type === 'chunk') {
						await backend.completeChunk(task.render.id, task.chunk.index, {busyMs: 1, bytes: 1});
					} else if (task?.type === 'stitch') {
						await backend.completeRender(task.render.id, {outKey: `renders/${task.render.id}/out.mp4`, outSize: 1});
					} else {
						await backend.waitForWork(10);
					}
				}
			};
			await Promise.all([watch(), ...Array.from({length: 8}, (_, i) => slot(`w/slot-${i}`))]);
			const statuses = (await Promise.all(ids.map((id) => backend.getRender(id)))).map((render) => render?.status);
			assert.deepEqual(statuses.filter((status) => status !== 'done'), [], `every render done: ${JSON.stringify(statuses)}`);
		} finally {
			await backend.close();
		}
	});
});
