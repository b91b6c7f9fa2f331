import assert from 'node:assert/strict';
import os from 'node:os';
import {describe, it} from 'node:test';
import {Worker} from 'node:worker_threads';
import {RENDER_NICE} from '../src/worker/thread-priority.js';

describe('thread priority (Linux)', () => {
	it('lowers the calling thread only, and a process the thread starts runs at its value', async () => {
		const before = os.getPriority(); // this thread's, on Linux
		const worker = new Worker(new URL('./fixtures/nice-thread.mjs', import.meta.url), {workerData: RENDER_NICE});
		const report = await new Promise<{set: boolean; thread: number; child: number}>((resolve, reject) => {
			worker.once('message', resolve);
			worker.once('error', reject);
		});
		await worker.terminate();
		assert.deepEqual(report, {set: true, thread: RENDER_NICE, child: RENDER_NICE});
		assert.equal(os.getPriority(), before, 'the main thread keeps its nice value');
	});
});
