import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createLocalBackend} from '../src/backend/local/create-local-backend.js';
import {backendConformance, testJob} from './backend-conformance.js';
import {makeTempDir} from './helpers.js';

backendConformance('SQLite (embedded)', async (options) => createLocalBackend({file: ':memory:', ...options}));

describe('SQLite backend across a restart', () => {
	it('keeps queued renders and finished chunks; an interrupted chunk is rendered again without costing an attempt', async () => {
		const dir = makeTempDir();
		const file = path.join(dir, 'state.db');
		try {
			const job = testJob({durationInFrames: 60});
			let backend = createLocalBackend({file, maxRenders: 1, chunkRetries: 1});
			await backend.submitRender({id: 'running', owner: 'o', job, createdAt: 1});
			await backend.submitRender({id: 'waiting', owner: 'o', job, createdAt: 2});
			await backend.claimTask('old/slot-0');
			await backend.claimTask('old/slot-1');
			await backend.completeChunk('running', 0, {busyMs: 10, bytes: 100});
			await backend.reportChunkProgress('running', 1, {renderedFrames: 12, encodedFrames: 10});
			// The process dies here: nothing is closed cleanly.
			backend = createLocalBackend({file, maxRenders: 1, chunkRetries: 1});
			const chunks = await backend.getChunks('running');
			assert.deepEqual(chunks.map((c) => [c.status, c.attempt]), [['done', 1], ['pending', 0], ['pending', 0]]);
			assert.equal(chunks[1]?.renderedFrames, 12, 'progress already reported is kept');
			assert.equal((await backend.getRender('running'))?.status, 'rendering');
			assert.deepEqual(await backend.getQueuePositions(['waiting']), [1]);
			const next = await backend.claimTask('new/slot-0');
			assert.equal(next?.type === 'chunk' && next.chunk.index, 1, 'chunk 0 is not rendered again');
			assert.equal(next?.type === 'chunk' && next.chunk.attempt, 1);
			const log = await backend.getLog('running');
			assert.ok(log.some((line) => /chunk 1: interrupted by a restart of old\/slot-1/.test(line)), log.join('\n'));
			assert.ok(log.some((line) => /resumed after a restart: 1 of 3 chunks were already rendered and are kept \(0\)/.test(line)));
			await backend.close();
			assert.ok(fs.existsSync(file));
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('hands out again a webhook whose sending a restart cut short, and never one that was sent', async () => {
		const dir = makeTempDir();
		const file = path.join(dir, 'state.db');
		try {
			const job = testJob({durationInFrames: 10, framesPerChunk: 10, webhook: {url: 'https://hooks.example.com/x', secret: null, customData: null}});
			let backend = createLocalBackend({file, maxRenders: 2, chunkRetries: 1});
			for (const id of ['cut-short', 'sent']) {
				await backend.submitRender({id, owner: 'o', job, createdAt: 1});
			}
			for (const id of ['cut-short', 'sent']) {
				const task = await backend.claimTask('w/slot-0');
				await backend.completeChunk(task!.render.id, 0, {busyMs: 1, bytes: 1});
				await backend.claimTask('w/slot-0');
				await backend.completeRender(task!.render.id, {outKey: `renders/${id}/out.mp4`, outSize: 1});
			}
			const claimed = [(await backend.claimWebhook())?.id, (await backend.claimWebhook())?.id].sort();
			assert.deepEqual(claimed, ['cut-short', 'sent']);
			await backend.completeWebhook('sent');
			assert.equal(await backend.claimWebhook(), null, 'handed out once while this process lives');
			// The process dies here, with the first webhook claimed and not sent.
			backend = createLocalBackend({file, maxRenders: 2, chunkRetries: 1});
			assert.equal((await backend.claimWebhook())?.id, 'cut-short');
			assert.equal(await backend.claimWebhook(), null);
			await backend.close();
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});
