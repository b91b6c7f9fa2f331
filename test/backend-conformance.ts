import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Backend} from '../src/backend/backend.js';
import {chunkTimelines} from '../src/backend/chunk-log.js';
import type {NewRender, RenderJob} from '../src/backend/render-record.js';
import {renderEventsOf, type RenderEvents} from '../src/backend/render-events.js';
import {codeRenderTarget} from '../src/render/dynamic-composition.js';

/** What any backend driver must do. Driver-specific behaviour is tested in the driver's own file. */
export type BackendFactory = (options: {maxRenders: number; chunkRetries: number; events?: RenderEvents}) => Promise<Backend>;

/** A code render's job of `durationInFrames` frames (320x180 at 30 fps), with other fields as given. */
export const testJob = ({durationInFrames = 50, ...rest}: Partial<RenderJob> & {durationInFrames?: number} = {}): RenderJob => ({
	...codeRenderTarget({js: 'module.exports = {default: () => null};', exportName: 'default', durationInFrames, fps: 30, width: 320, height: 180}),
	framesPerChunk: 20,
	codec: 'h264',
	outName: 'out.mp4',
	webhook: null,
	...rest,
	options: rest.options ?? {},
});

/** Cancellations may travel through the driver's messaging: wait a little for them. */
const eventually = async (check: () => void, timeoutMs = 3000) => {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			check();
			return;
		} catch (err) {
			if (Date.now() > deadline) {
				throw err;
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
};

let counter = 0;
export const newRender = (owner = 'owner-a', job: Parameters<typeof testJob>[0] = {}): NewRender => ({
	id: `r${Date.now().toString(36)}${(counter++).toString(36)}`,
	owner,
	job: testJob(job),
	createdAt: Date.now(),
});

export const backendConformance = (driver: string, makeBackend: BackendFactory) => {
	describe(`backend conformance: ${driver}`, () => {
		let backend: Backend;
		const open = async (options: Parameters<BackendFactory>[0] = {maxRenders: 1, chunkRetries: 1}) => {
			await backend?.close();
			backend = await makeBackend(options);
			return backend;
		};
		before(() => open());
		after(() => backend.close());

		it('stores a submitted render as queued with its planned chunks', async () => {
			const submitted = await backend.submitRender(newRender());
			assert.equal(submitted.status, 'queued');
			assert.equal(submitted.totalChunks, 3);
			assert.deepEqual(submitted.errors, []);
			const chunks = await backend.getChunks(submitted.id);
			assert.deepEqual(chunks.map((c) => c.frameRange), [[0, 19], [20, 39], [40, 49]]);
			assert.ok(chunks.every((c) => c.status === 'pending' && c.attempt === 0 && c.renderedFrames === 0));
			assert.equal(await backend.getRender('missing'), null);
			assert.equal(backend.problem(), null, 'a reachable backend reports no problem');
		});

		it('counts queue positions in submission order and starts at most maxRenders', async () => {
			await open({maxRenders: 1, chunkRetries: 1});
			const [a, b, c] = [newRender(), newRender(), newRender()];
			for (const render of [a, b, c]) {
				await backend.submitRender(render);
			}
			assert.deepEqual(await backend.getQueuePositions([a.id, b.id, c.id]), [1, 2, 3]);
			const task = await backend.claimTask('w/slot-0');
			assert.equal(task?.type, 'chunk');
			assert.equal(task?.render.id, a.id);
			assert.equal((await backend.getRender(a.id))?.status, 'rendering');
			assert.deepEqual(await backend.getQueuePositions([a.id, b.id, c.id, 'missing']), [null, 1, 2, null]);
			assert.deepEqual(await backend.countRenders(), {queued: 2, running: 1});
			assert.deepEqual(await backend.getQueuePositions([]), []);
			// The other chunks of the running render come next, never another render's.
			const second = await backend.claimTask('w/slot-1');
			assert.equal(second?.render.id, a.id);
			assert.equal(second?.type === 'chunk' && second.chunk.index, 1);
		});

		it('walks a render through chunks and the stitch to done, keeping progress monotonic', async () => {
			await open({maxRenders: 1, chunkRetries: 1});
			const render = await backend.submitRender(newRender());
			const claimed = [];
			for (let i = 0; i < 3; i++) {
				const task = await backend.claimTask(`w/slot-${i}`);
				assert.equal(task?.type, 'chunk');
				claimed.push(task);
			}
			assert.equal(await backend.claimTask('w/slot-3'), null, 'no stitch before every chunk is done');
			await backend.reportChunkProgress(render.id, 0, {renderedFrames: 10, encodedFrames: 5});
			await backend.reportChunkProgress(render.id, 0, {renderedFrames: 8, encodedFrames: 4});
			let chunk0 = (await backend.getChunks(render.id))[0];
			assert.equal(chunk0?.renderedFrames, 10, 'a lower count never replaces a higher one');
			assert.equal(chunk0?.encodedFrames, 5);
			for (const index of [0, 1, 2]) {
				await backend.completeChunk(render.id, index, {busyMs: 100, bytes: 1000});
			}
			chunk0 = (await backend.getChunks(render.id))[0];
			assert.equal(chunk0?.status, 'done');
			assert.equal(chunk0?.renderedFrames, 20);
			assert.equal(chunk0?.busyMs, 100);
			assert.equal((await backend.getRender(render.id))?.status, 'stitching');
			const stitch = await backend.claimTask('w/slot-0');
			assert.equal(stitch?.type, 'stitch');
			assert.equal(stitch?.type === 'stitch' && stitch.chunks.length, 3);
			assert.equal(await backend.claimTask('w/slot-1'), null, 'a stitch is handed out once');
			await backend.reportStitchProgress(render.id, 25);
			assert.equal((await backend.getRender(render.id))?.framesStitched, 25);
			await backend.completeRender(render.id, {outKey: `renders/${render.id}/out.mp4`, outSize: 5000});
			const done = await backend.getRender(render.id);
			assert.equal(done?.status, 'done');
			assert.equal(done?.outSize, 5000);
			assert.equal(done?.bytesStored, 8000);
			assert.ok((done?.finishedAt ?? 0) >= done!.createdAt);
			const log = await backend.getLog(render.id);
			assert.ok(log.some((line) => /chunk 1 .*attempt 1 on w\/slot-1/.test(line)), log.join('\n'));
			assert.ok(log.some((line) => /done: /.test(line)));
		});

		it('retries a failed chunk, then fails the render on the last attempt', async () => {
			await open({maxRenders: 1, chunkRetries: 1});
			const render = await backend.submitRender(newRender('owner-a', {durationInFrames: 20}));
			const failure = {type: 'renderer' as const, message: 'boom', name: 'Error', stack: 'Error: boom', frame: 7, explanation: null, unrecoverable: false, busyMs: 50};
			assert.equal((await backend.claimTask('w/slot-0'))?.type, 'chunk');
			assert.deepEqual(await backend.failChunk(render.id, 0, failure), {willRetry: true});
			let state = await backend.getRender(render.id);
			assert.equal(state?.status, 'rendering');
			assert.equal(state?.errors.length, 1);
			assert.deepEqual(
				{...state?.errors[0]},
				{type: 'renderer', message: 'boom', name: 'Error', stack: 'Error: boom', frame: 7, chunk: 0, isFatal: false, attempt: 1, willRetry: true, totalAttempts: 2, explanation: null},
			);
			const retry = await backend.claimTask('w/slot-1');
			assert.equal(retry?.type === 'chunk' && retry.chunk.attempt, 2);
			const cancelled: string[] = [];
			const unsubscribe = backend.onCancel((id) => cancelled.push(id));
			assert.deepEqual(await backend.failChunk(render.id, 0, failure), {willRetry: false});
			await eventually(() => assert.deepEqual(cancelled, [render.id], 'workers are told to stop the render'));
			unsubscribe();
			state = await backend.getRender(render.id);
			assert.equal(state?.status, 'error');
			assert.match(state?.failure ?? '', /Chunk 0 \(frames 0-19\) failed at frame 7 on attempt 2 of 2: boom/);
			assert.equal(state?.errors[1]?.isFatal, true);
			assert.equal(state?.errors[1]?.willRetry, false);
			assert.equal((await backend.getChunks(render.id))[0]?.busyMs, 100);
			// The log holds each attempt's slot, start and end: the dashboard's timeline.
			const [timeline] = chunkTimelines(await backend.getChunks(render.id), await backend.getLog(render.id));
			assert.deepEqual(timeline?.attempts.map(({attempt, worker, outcome}) => `${attempt}@${worker}:${outcome}`), ['1@w/slot-0:failed', '2@w/slot-1:failed']);
			assert.ok(timeline!.attempts.every((attempt) => attempt.endedAt !== null && attempt.endedAt >= attempt.startedAt));
		});

		it('tells each change of state once, as events with the render, chunk, attempt and worker', async () => {
			const heard: string[] = [];
			const hear =
				(name: keyof RenderEvents) =>
				(event: Record<string, unknown>) =>
					heard.push(`${name} ${Object.entries(event).filter(([field]) => !['renderId', 'createdAt', 'startedAt', 'finishedAt', 'ms', 'owner'].includes(field)).map(([field, value]) => `${field}=${String(value)}`).join(' ')}`);
			const events = renderEventsOf((name) => hear(name) as (event: never) => void);
			await open({maxRenders: 1, chunkRetries: 1, events});
			const failure = {type: 'renderer' as const, message: 'boom', name: 'Error', stack: '', frame: 3, explanation: null, unrecoverable: false, busyMs: 5};
			const done = await backend.submitRender(newRender('owner-a', {durationInFrames: 30}));
			await backend.claimTask('w/slot-0');
			await backend.claimTask('w/slot-1');
			await backend.failChunk(done.id, 0, failure);
			await backend.claimTask('w/slot-0');
			await backend.completeChunk(done.id, 0, {busyMs: 10, bytes: 1});
			await backend.completeChunk(done.id, 1, {busyMs: 10, bytes: 1});
			await backend.claimTask('w/slot-0');
			await backend.completeRender(done.id, {outKey: `renders/${done.id}/out.mp4`, outSize: 1});
			const failed = await backend.submitRender(newRender('owner-a', {durationInFrames: 20}));
			for (const slot of ['w/slot-0', 'w/slot-1']) {
				await backend.claimTask(slot);
				await backend.failChunk(failed.id, 0, failure);
			}
			const cancelled = await backend.submitRender(newRender('owner-a', {durationInFrames: 20}));
			await backend.cancelRender(cancelled.id);
			await backend.cancelRender(cancelled.id);
			assert.deepEqual(heard, [
				'renderQueued chunks=2 frames=30',
				'renderStarted ',
				'chunkStarted chunk=0 attempt=1 worker=w/slot-0',
				'chunkStarted chunk=1 attempt=1 worker=w/slot-1',
				'chunkFailed chunk=0 attempt=1 worker=w/slot-0 willRetry=true message=boom',
				'chunkStarted chunk=0 attempt=2 worker=w/slot-0',
				'chunkDone chunk=0 attempt=2 worker=w/slot-0 frames=20',
				'chunkDone chunk=1 attempt=1 worker=w/slot-1 frames=10',
				'renderFinished status=done failure=null',
				'renderQueued chunks=1 frames=20',
				'renderStarted ',
				'chunkStarted chunk=0 attempt=1 worker=w/slot-0',
				'chunkFailed chunk=0 attempt=1 worker=w/slot-0 willRetry=true message=boom',
				'chunkStarted chunk=0 attempt=2 worker=w/slot-1',
				'chunkFailed chunk=0 attempt=2 worker=w/slot-1 willRetry=false message=boom',
				`renderFinished status=error failure=${(await backend.getRender(failed.id))?.failure}`,
				'renderQueued chunks=1 frames=20',
				'renderFinished status=cancelled failure=cancelled',
			]);
		});

		it('takes back a task from a stopping worker: no attempt used, no error recorded', async () => {
			await open({maxRenders: 1, chunkRetries: 0});
			const render = await backend.submitRender(newRender('owner-a', {durationInFrames: 20}));
			const task = await backend.claimTask('w/slot-0');
			assert.ok(task?.type === 'chunk');
			await backend.releaseTask(task, 'w/slot-0');
			const again = await backend.claimTask('w/slot-1');
			assert.ok(again?.type === 'chunk', 'the chunk is handed out again');
			assert.equal(again.chunk.index, 0);
			assert.equal(again.chunk.attempt, 1, 'the handed-back run did not count as an attempt');
			assert.deepEqual((await backend.getRender(render.id))?.errors, []);
			await backend.completeChunk(render.id, 0, {busyMs: 1, bytes: 1});
			const stitch = await backend.claimTask('w/slot-0');
			assert.ok(stitch?.type === 'stitch');
			await backend.releaseTask(stitch, 'w/slot-0');
			assert.equal((await backend.claimTask('w/slot-1'))?.type, 'stitch', 'the stitch is handed out again');
			assert.match((await backend.getLog(render.id)).join('\n'), /handed back by w\/slot-0, which is stopping/);
		});

		it('counts an owner’s queued renders, not started, cancelled or other owners’ ones', async () => {
			await open({maxRenders: 1, chunkRetries: 1});
			const first = await backend.submitRender(newRender('counted'));
			const second = await backend.submitRender(newRender('counted'));
			await backend.submitRender(newRender('counted'));
			await backend.submitRender(newRender('someone-else'));
			assert.equal(await backend.countQueued('counted'), 3);
			const task = await backend.claimTask('w/slot-0');
			assert.equal(task?.render.id, first.id, 'the first render started');
			await backend.cancelRender(second.id);
			assert.equal(await backend.countQueued('counted'), 1);
			assert.equal(await backend.countQueued('nobody'), 0);
		});

		it('lists finished renders by when they finished and forgets them on request', async () => {
			await open({maxRenders: 5, chunkRetries: 0});
			const done = await backend.submitRender(newRender('retained', {durationInFrames: 20}));
			const cancelled = await backend.submitRender(newRender('retained'));
			const running = await backend.submitRender(newRender('retained'));
			await backend.cancelRender(cancelled.id);
			const task = await backend.claimTask('w/slot-0');
			assert.equal(task?.render.id, done.id);
			await backend.completeChunk(done.id, 0, {busyMs: 1, bytes: 1});
			const stitch = await backend.claimTask('w/slot-0');
			assert.equal(stitch?.type, 'stitch');
			await backend.completeRender(done.id, {outKey: 'renders/x/out.mp4', outSize: 10});
			await backend.claimTask('w/slot-1');
			await new Promise((resolve) => setTimeout(resolve, 5));

			const finished = await backend.listFinishedBefore(Date.now() + 1, 100);
			assert.ok(finished.includes(done.id) && finished.includes(cancelled.id), 'done and cancelled renders are listed');
			assert.ok(!finished.includes(running.id), 'a render still going is not');
			assert.equal((await backend.listFinishedBefore(0, 100)).length, 0, 'nothing finished before the epoch');
			assert.deepEqual(await backend.listFinishedBefore(Date.now() + 1, 1), [finished[0]]);

			await backend.deleteRender(done.id);
			assert.equal(await backend.getRender(done.id), null);
			assert.deepEqual(await backend.getChunks(done.id), []);
			assert.deepEqual(await backend.getLog(done.id), []);
			assert.ok(!(await backend.listFinishedBefore(Date.now() + 1, 100)).includes(done.id));
			assert.ok(!(await backend.listRenders({owner: 'retained', limit: 10, offset: 0})).some((render) => render.id === done.id));
			assert.notEqual(await backend.getRender(running.id), null, 'other renders stay');
		});

		it('hands out the webhook of a render that succeeded or failed once, and never one of a cancelled render', async () => {
			await open({maxRenders: 5, chunkRetries: 0});
			const webhook = {url: 'https://hooks.example.com/x', secret: 's', customData: {n: 1}};
			const succeeded = await backend.submitRender(newRender('hooks', {durationInFrames: 20, webhook}));
			const failed = await backend.submitRender(newRender('hooks', {durationInFrames: 20, webhook}));
			const cancelled = await backend.submitRender(newRender('hooks', {durationInFrames: 20, webhook}));
			const silent = await backend.submitRender(newRender('hooks', {durationInFrames: 20}));
			assert.equal(await backend.claimWebhook(), null, 'nothing has finished');
			await backend.cancelRender(cancelled.id);
			for (const render of [succeeded, failed, silent]) {
				const task = await backend.claimTask('w/slot-0');
				assert.equal(task?.render.id, render.id);
				if (render === failed) {
					await backend.failChunk(render.id, 0, {type: 'renderer', message: 'boom', name: 'Error', stack: '', frame: 3, explanation: null, unrecoverable: false, busyMs: 1});
				} else {
					await backend.completeChunk(render.id, 0, {busyMs: 1, bytes: 1});
					assert.equal((await backend.claimTask('w/slot-0'))?.type, 'stitch');
					await backend.completeRender(render.id, {outKey: `renders/${render.id}/out.mp4`, outSize: 1});
				}
			}
			const claimed = [await backend.claimWebhook(), await backend.claimWebhook(), await backend.claimWebhook()];
			assert.deepEqual(claimed.map((render) => render?.id ?? null).sort(), [succeeded.id, failed.id, null].sort());
			assert.deepEqual(claimed.find((render) => render?.id === succeeded.id)?.job.webhook, webhook);
			assert.equal(claimed.find((render) => render?.id === failed.id)?.status, 'error');
			for (const render of [succeeded, failed]) {
				await backend.completeWebhook(render.id);
			}
			assert.equal(await backend.claimWebhook(), null, 'a sent webhook is not handed out again');
		});

		it('keeps entries that do not end the render next to the chunk errors, in order', async () => {
			await open();
			const render = await backend.submitRender(newRender());
			const entry = (message: string) => ({
				type: 'browser' as const,
				message,
				name: 'BlockedRequestError',
				stack: '',
				frame: null,
				chunk: 0,
				isFatal: false,
				attempt: 1,
				willRetry: false,
				totalAttempts: 1,
				explanation: null,
			});
			await backend.addError(render.id, entry('first'));
			await backend.addError(render.id, entry('second'));
			const stored = await backend.getRender(render.id);
			assert.deepEqual(stored?.errors.map((e) => e.message), ['first', 'second']);
			assert.equal(stored?.status, 'queued');
		});

		it('cancels queued and running renders, telling the workers', async () => {
			await open({maxRenders: 1, chunkRetries: 1});
			const running = await backend.submitRender(newRender());
			const queued = await backend.submitRender(newRender());
			const behind = await backend.submitRender(newRender());
			await backend.claimTask('w/slot-0');
			const cancelled: string[] = [];
			backend.onCancel((id) => cancelled.push(id));
			await backend.cancelRender(queued.id);
			assert.deepEqual(await backend.getQueuePositions([behind.id]), [1], 'the renders behind move up');
			await backend.cancelRender(running.id);
			for (const id of [queued.id, running.id]) {
				const render = await backend.getRender(id);
				assert.equal(render?.status, 'cancelled');
				assert.equal(render?.errors.at(-1)?.message, 'cancelled');
				assert.equal(render?.errors.at(-1)?.isFatal, true);
			}
			await eventually(() => assert.deepEqual(cancelled, [queued.id, running.id]));
			assert.equal(await backend.cancelRender('missing'), null);
			// The next render starts now that the slot is free.
			const next = await backend.claimTask('w/slot-0');
			assert.equal(next?.render.id, behind.id);
			// A late report from the cancelled render's worker changes nothing.
			await backend.completeChunk(running.id, 0, {busyMs: 1, bytes: 1});
			assert.equal((await backend.getRender(running.id))?.status, 'cancelled');
		});

		it('lists an owner’s renders newest first, in pages', async () => {
			await open();
			const mine = [];
			for (let i = 0; i < 5; i++) {
				mine.push(await backend.submitRender(newRender('owner-list')));
			}
			await backend.submitRender(newRender('someone-else'));
			const first = await backend.listRenders({owner: 'owner-list', limit: 3, offset: 0});
			const second = await backend.listRenders({owner: 'owner-list', limit: 3, offset: 3});
			assert.deepEqual([...first, ...second].map((r) => r.id), mine.map((r) => r.id).reverse());
		});

		it('wakes a waiting worker when work arrives', async () => {
			await open();
			const startedAt = Date.now();
			const waiting = backend.waitForWork(5000);
			await backend.submitRender(newRender());
			await waiting;
			assert.ok(Date.now() - startedAt < 2000);
		});
	});
};
