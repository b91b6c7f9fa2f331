import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {ChunkRecord} from '../src/backend/render-record.js';
import {livePlaysThroughAt} from '../src/live/plays-through-at.js';
import {chunkSizesForWatching} from '../src/render/plan-for-watching.js';

const FPS = 30;

/**
 * A render as the queue runs it: `slots` slots take the chunks in order, each chunk costing its
 * slot `startMs` before its first frame and `endMs` after its last. The slots share `cores` cores
 * (as many as the slots unless said, as on the default's 3 slots on 2 cores): a frame takes
 * `msPerFrame` while no more frames are rendering than there are cores, and longer in proportion
 * when more are. The slots past the cores start when the first chunk has ended, as
 * first-chunk-gate.ts holds them. Stepped 5 ms at a time.
 */
const simulate = ({sizes, slots, cores = slots, msPerFrame, startMs, endMs}: {sizes: number[]; slots: number; cores?: number; msPerFrame: number; startMs: number; endMs: number}) => {
	const STEP = 5;
	type Running = {index: number; size: number; first: number; startedAt: number; done: number; framesFrom: number; framesUntil: number | null; frameTimes: number[]};
	const chunks: (Running & {finishedAt: number})[] = [];
	const slotFree: (number | null)[] = Array.from({length: slots}, (_, slot) => (slot < cores ? 0 : null));
	const running = new Map<number, Running>();
	let next = 0;
	let first = 0;
	for (let now = 0; chunks.length < sizes.length; now += STEP) {
		for (let slot = 0; slot < slots; slot++) {
			if (slotFree[slot] === null && chunks.some((chunk) => chunk.index === 0)) {
				slotFree[slot] = now;
			}
			if (!running.has(slot) && slotFree[slot] !== null && slotFree[slot]! <= now && next < sizes.length) {
				running.set(slot, {index: next, size: sizes[next]!, first, startedAt: now, done: 0, framesFrom: now + startMs, framesUntil: null, frameTimes: []});
				first += sizes[next]!;
				next++;
			}
		}
		const rendering = [...running.values()].filter((chunk) => now >= chunk.framesFrom && chunk.framesUntil === null);
		const slowdown = Math.max(1, rendering.length / cores);
		for (const chunk of rendering) {
			chunk.done += STEP / (msPerFrame * slowdown);
			while (chunk.frameTimes.length < Math.min(chunk.size, Math.floor(chunk.done))) {
				chunk.frameTimes.push(now + STEP);
			}
			if (chunk.frameTimes.length === chunk.size) {
				chunk.framesUntil = now + STEP;
			}
		}
		for (const [slot, chunk] of running) {
			if (chunk.framesUntil !== null && now + STEP >= chunk.framesUntil + endMs) {
				chunks.push({...chunk, finishedAt: now + STEP});
				running.delete(slot);
				slotFree[slot] = now + STEP;
			}
		}
	}
	return chunks
		.sort((a, b) => a.index - b.index)
		.map(({index, size, first: from, startedAt, finishedAt, frameTimes}) => ({index, frameRange: [from, from + size - 1] as [number, number], startedAt, finishedAt, size, frameTimes}));
};

type Simulated = ReturnType<typeof simulate>;

/** The chunk records the backend holds at `now`. */
const recordsAt = (render: Simulated, now: number): ChunkRecord[] =>
	render.map((chunk) => {
		const status = now >= chunk.finishedAt ? 'done' : now >= chunk.startedAt ? 'rendering' : 'pending';
		const renderedFrames = chunk.frameTimes.filter((at) => at <= now).length;
		return {
			renderId: 'r',
			index: chunk.index,
			frameRange: chunk.frameRange,
			status,
			attempt: status === 'pending' ? 0 : 1,
			renderedFrames,
			encodedFrames: renderedFrames,
			startedAt: status === 'pending' ? null : chunk.startedAt,
			finishedAt: status === 'done' ? chunk.finishedAt : null,
			busyMs: 0,
			worker: null,
		};
	});

/** The latest start from which a viewer at 1x finds every chunk in before reaching it. */
const latestSafeStart = (render: Simulated) => Math.max(...render.map((chunk) => chunk.finishedAt - (chunk.frameRange[0] * 1000) / FPS));

const job = (durationInFrames: number) => ({composition: {fps: FPS, durationInFrames}, options: {}}) as never;

describe('livePlaysThroughAt', () => {
	it('is null while no frame is rendered, and the last chunk’s end once all are in', () => {
		const render = simulate({sizes: [6, 40, 40], slots: 2, msPerFrame: 80, startMs: 250, endMs: 500});
		assert.equal(livePlaysThroughAt({job: job(86), chunks: recordsAt(render, 100), now: 100}), null);
		const end = Math.max(...render.map((chunk) => chunk.finishedAt));
		assert.equal(livePlaysThroughAt({job: job(86), chunks: recordsAt(render, end + 5000), now: end + 5000}), end);
	});

	/**
	 * Asked as the player asks, from when the first segment is in, at every progress event: a viewer
	 * who starts when it says reaches no chunk before it is in, and starts within 15 % of the
	 * render's time (plus 1 s) of the latest start that would do.
	 */
	const assertPlaysThrough = (render: Simulated) => {
		let startAt = render[0]!.finishedAt;
		for (;;) {
			const estimate = livePlaysThroughAt({job: job(1800), chunks: recordsAt(render, startAt), now: startAt});
			assert.equal(typeof estimate, 'number');
			if (startAt >= estimate!) {
				break;
			}
			startAt += 250;
		}
		const safe = latestSafeStart(render);
		for (const chunk of render) {
			assert.ok(chunk.finishedAt <= startAt + (chunk.frameRange[0] * 1000) / FPS, `chunk ${chunk.index} is in ${chunk.finishedAt - startAt - (chunk.frameRange[0] * 1000) / FPS} ms after the viewer reaches it`);
		}
		const renderEnd = Math.max(...render.map((chunk) => chunk.finishedAt));
		assert.ok(startAt - safe <= 0.15 * renderEnd + 1000, `starts ${startAt - safe} ms after the latest safe start, in a render of ${renderEnd} ms`);
	};
	const longPlan = () => chunkSizesForWatching({durationInFrames: 1800, maxFramesPerChunk: 150, slots: 3, slotsBesideFirstChunk: 2})!;

	// The long composition's plan on 3 slots at three paces: faster than real time, about real time, slower.
	for (const msPerFrame of [60, 100, 200]) {
		it(`a viewer who starts when it says waits for no chunk, and starts soon after the latest safe start (1800 frames, 3 slots, ${msPerFrame} ms a frame a slot)`, () => {
			assertPlaysThrough(simulate({sizes: longPlan(), slots: 3, endMs: 500, msPerFrame, startMs: 250}));
		});
	}

	// The default's 3 slots on 2 cores: the early chunks render 2 at a time at a core each, then 3
	// share the 2 cores, each frame half as long again. The pace of the early chunks is too fast.
	for (const msPerFrame of [40, 55, 70]) {
		it(`plays through when the slots outnumber the cores and slow down once all render (1800 frames, 3 slots on 2 cores, ${msPerFrame} ms a frame on a core)`, () => {
			assertPlaysThrough(simulate({sizes: longPlan(), slots: 3, cores: 2, endMs: 500, msPerFrame, startMs: 250}));
		});
	}

	it('starts at once when the render is far ahead of the viewer', () => {
		const render = simulate({sizes: [6, 60, 60, 60], slots: 3, msPerFrame: 10, startMs: 250, endMs: 500});
		// Chunks 0-2 are in; chunk 3 ends 0.8 s on, 4.2 s before a viewer starting now reaches it.
		const now = render[2]!.finishedAt + 1;
		assert.equal(recordsAt(render, now)[3]!.status, 'rendering');
		const startAt = livePlaysThroughAt({job: job(186), chunks: recordsAt(render, now), now})!;
		assert.equal(startAt, now);
	});
});
