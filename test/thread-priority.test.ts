import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import {describe, it} from 'node:test';
import {Worker} from 'node:worker_threads';
import {RENDER_NICE} from '../src/worker/thread-priority.js';
import {SCHED_IDLE, SCHED_OTHER, SCHED_RR, schedPolicy} from './helpers.js';

type Priority = {nice: number; policy: number};
type Report = {set: boolean; thread: Priority; child: Priority};
type Sent = {set: boolean; thread: {nice: number; sched: string}; child: {nice: number; sched: string}};

/** Runs the fixture on a worker thread, which lowers itself and reports. */
const lowerOnThread = async (data: {nice: number; idle: boolean}): Promise<Report> => {
	const worker = new Worker(new URL('./fixtures/nice-thread.mjs', import.meta.url), {workerData: data});
	try {
		const {set, thread, child} = await new Promise<Sent>((resolve, reject) => {
			worker.once('message', resolve);
			worker.once('error', reject);
		});
		const priority = ({nice, sched}: {nice: number; sched: string}) => ({nice, policy: schedPolicy(sched)});
		return {set, thread: priority(thread), child: priority(child)};
	} finally {
		await worker.terminate();
	}
};

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
		const worker = new Worker(new URL('./fixtures/realtime-thread.mjs', import.meta.url));
		try {
			const report = await new Promise<{set: boolean} & Record<'self' | 'child' | 'thread', {nice: number; sched: string}>>((resolve, reject) => {
				worker.once('message', resolve);
				worker.once('error', reject);
			});
			const priority = ({nice, sched}: {nice: number; sched: string}) => ({nice, policy: schedPolicy(sched)});
			const before = {nice: os.getPriority(), policy: SCHED_OTHER};
			assert.deepEqual(
				{set: report.set, self: priority(report.self).policy, child: priority(report.child), thread: priority(report.thread)},
				{set: true, self: SCHED_RR, child: before, thread: before},
			);
			assert.equal(schedPolicy(fs.readFileSync('/proc/thread-self/sched', 'utf8')), SCHED_OTHER, 'the main thread stays in the normal class');
		} finally {
			await worker.terminate();
		}
	});
});
