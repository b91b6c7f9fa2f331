import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type {ChildProcess} from 'node:child_process';
import {describe, it} from 'node:test';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {api, isRunning, makeTempDir, processTree, readExample, sleep, startServe, waitFor} from './helpers.js';
import {startRedisProcess} from './faults/redis-process.js';
import {startFarm} from './faults/start-farm.js';

// A process that dies without its clean stop (SIGKILL, the OOM killer, a crash) leaves nothing
// it started running: Remotion starts each browser in a session of its own, where it would
// otherwise outlive its parent and take CPU from every later render.

const SETTLE_MS = 10_000;

/** Kills `child` (SIGKILL unless told otherwise) while it renders, and answers what it had started that still runs 10 s later. */
const killMidRender = async (child: ChildProcess, renderingFrames: () => Promise<boolean>, kill: (child: ChildProcess) => Promise<void> = async (c) => void c.kill('SIGKILL')) => {
	await waitFor('frames to render', async () => ((await renderingFrames()) ? true : null));
	const started = processTree(child.pid!).filter((entry) => entry.pid !== child.pid);
	assert.ok(started.some((entry) => /chrom/i.test(entry.args)), `a browser runs: ${started.map((e) => e.args.slice(0, 80)).join('\n')}`);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	await kill(child);
	await exited;
	const deadline = Date.now() + SETTLE_MS;
	let left = started.filter((entry) => isRunning(entry.pid));
	while (left.length > 0 && Date.now() < deadline) {
		await sleep(250);
		left = left.filter((entry) => isRunning(entry.pid));
	}
	for (const entry of left) {
		process.kill(entry.pid, 'SIGKILL');
	}
	return {started, left: left.map((entry) => `${entry.pid} ${entry.args.slice(0, 120)}`)};
};

const rendering = (server: {url: string; apiKey: string}, id: string) => async () =>
	(((await api(server, 'GET', `/api/render/${id}/progress`)).body as RenderProgress).framesRendered ?? 0) > 0;

describe('no orphans after a SIGKILL', () => {
	it('framefarm serve: none of its browsers, encoders or compositors runs 10 s later', async () => {
		const dir = makeTempDir();
		const server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_API_KEYS: 'orphan-key'}});
		try {
			const {renderId} = (await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 300, fps: 30}, width: 320, height: 180})).body;
			const {started, left} = await killMidRender(server.child, rendering(server, renderId));
			assert.deepEqual(left, [], `still running ${SETTLE_MS / 1000} s after serve was killed (of ${started.length} it started)`);
		} finally {
			await server.stop().catch(() => undefined);
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('framefarm serve stopped at once by a second SIGTERM (as a process manager or pkill of a process tree sends): none runs 10 s later', async () => {
		const dir = makeTempDir();
		const server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_API_KEYS: 'orphan-key'}});
		try {
			const {renderId} = (await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 300, fps: 30}, width: 320, height: 180})).body;
			// The second signal exits at once (no graceful stop); Remotion's exit handler and the launchers' watchdogs clean up.
			const {started, left} = await killMidRender(server.child, rendering(server, renderId), async (child) => {
				child.kill('SIGTERM');
				// Apart enough not to merge into one pending signal, close enough that no browser has closed yet.
				await sleep(10);
				child.kill('SIGTERM');
			});
			assert.deepEqual(left, [], `still running ${SETTLE_MS / 1000} s after serve exited (of ${started.length} it started)`);
		} finally {
			await server.stop().catch(() => undefined);
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('framefarm worker: none of its processes runs 10 s later', async () => {
		const redis = await startRedisProcess();
		const farm = await startFarm({redis, workers: 1});
		try {
			const {renderId} = await farm.submit(300, 150);
			const {started, left} = await killMidRender(farm.workers[0]!.child, rendering(farm.server, renderId));
			assert.deepEqual(left, [], `still running ${SETTLE_MS / 1000} s after the worker was killed (of ${started.length} it started)`);
		} finally {
			await farm.stop();
			await redis.stop();
		}
	});
});
