import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import {describe, it} from 'node:test';
import {Worker} from 'node:worker_threads';
import {RENDER_NICE} from '../src/worker/thread-priority.js';
import {SCHED_IDLE, SCHED_OTHER, SCHED_RR, schedPolicy} from './helpers.js';

type Priority = {nice: number; policy: number};
type Sent = {nice: number; sched: string};

/**
 * Runs a fixture on a worker thread, which changes its own priority and reports `set` and the
 * nice value and /proc sched file of each thread or process it names; those come back as priorities.
 */
const reportOnThread = async <Name extends string>(fixture: string, data?: unknown): Promise<{set: boolean} & Record<Name, Priority>> => {
	const worker = new Worker(new URL(`./fixtures/${fixture}`, import.meta.url), {workerData: data});
	try {
		const {set, ...sent} = await new Promise<{set: boolean} & Record<Name, Sent>>((resolve, reject) => {
			worker.once('message', resolve);
			worker.once('error', reject);
		});
		const priorities = Object.entries<Sent>(sent).map(([name, {nice, sched}]) => [name, {nice, policy: schedPolicy(sched)}]);
		return {set, ...(Object.fromEntries(priorities) as Record<Name, Priority>)};
	} finally {
		await worker.terminate();
	}
};

/** The nice-thread fixture: lowers itself to `nice`, and to the idle class if asked. */
const lowerOnThread = (data: {nice: number; idle: boolean}) => reportOnThread<'thread' | 'child'>('nice-thread.mjs', data);

describe('thread priority (Linux)', () => {
	it('lowers the calling thread only, and a process the thread starts runs at its value', async () => {
		const before = os.getPriority(); // this thread's, on Linux
		const report = await lowerOnThread({nice: RENDER_NICE, idle: false});
		const normal = {nice: RENDER_NICE, policy: SCHED_OTHER};
		assert.deepEqual(report, {set: true, thread: normal, child: normal});
		assert.equal(os.getPriority(), before, 'the main thread keeps its nice value');
	});

	it('puts the calling thread in the idle class, and a process it starts too', async () => {
		const report = await lowerOnThread({nice: RENDER_NICE, idle: true});
		const idle = {nice: RENDER_NICE, policy: SCHED_IDLE};
		assert.deepEqual(report, {set: true, thread: idle, child: idle});
		assert.equal(schedPolicy(fs.readFileSync('/proc/thread-self/sched', 'utf8')), SCHED_OTHER, 'the main thread stays in the normal class');
	});

	it('raises the calling thread to the real-time class, and what it starts after begins in the normal class (root)', async () => {
		const report = await reportOnThread<'self' | 'child' | 'thread'>('realtime-thread.mjs');
		const before = {nice: os.getPriority(), policy: SCHED_OTHER};
		assert.deepEqual(
			{set: report.set, self: report.self.policy, child: report.child, thread: report.thread},
			{set: true, self: SCHED_RR, child: before, thread: before},
		);
		assert.equal(schedPolicy(fs.readFileSync('/proc/thread-self/sched', 'utf8')), SCHED_OTHER, 'the main thread stays in the normal class');
	});
});
