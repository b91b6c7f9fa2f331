import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {ChunkRecord} from '../src/backend/render-record.js';
import {livePlaysThroughAt} from '../src/live/plays-through-at.js';
import {chunkSizesForWatching} from '../src/render/plan-for-watching.js';

const FPS = 30;

/**
 * A render as the queue runs it: `slots` slots take the chunks in order, each chunk costing its
 * slot `startMs` before its first frame, `msPerFrame` a frame and `endMs` after its last.
 */
const simulate = ({sizes, slots, msPerFrame, startMs, endMs}: {sizes: number[]; slots: number; msPerFrame: number; startMs: number; endMs: number}) => {
	const free = Array.from({length: slots}, () => 0);
	let first = 0;
	return sizes.map((size, index) => {
		const slot = free.indexOf(Math.min(...free));
		const startedAt = free[slot]!;
		const finishedAt = startedAt + startMs + size * msPerFrame + endMs;
		free[slot] = finishedAt;
		const chunk = {index, frameRange: [first, first + size - 1] as [number, number], startedAt, finishedAt, size};
		first += size;
		return chunk;
	});
};

type Simulated = ReturnType<typeof simulate>;

/** The chunk records the backend holds at `now`. */
const recordsAt = (render: Simulated, now: number, {msPerFrame, startMs}: {msPerFrame: number; startMs: number}): ChunkRecord[] =>
	render.map((chunk) => {
		const status = now >= chunk.finishedAt ? 'done' : now >= chunk.startedAt ? 'rendering' : 'pending';
		const renderedFrames = status === 'done' ? chunk.size : status === 'pending' ? 0 : Math.max(0, Math.min(chunk.size, Math.floor((now - chunk.startedAt - startMs) / msPerFrame)));
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
		const pace = {msPerFrame: 80, startMs: 250};
		const render = simulate({sizes: [6, 40, 40], slots: 2, endMs: 500, ...pace});
		assert.equal(livePlaysThroughAt({job: job(86), chunks: recordsAt(render, 100, pace), now: 100}), null);
		const end = Math.max(...render.map((chunk) => chunk.finishedAt));
		assert.equal(livePlaysThroughAt({job: job(86), chunks: recordsAt(render, end + 5000, pace), now: end + 5000}), end);
	});

	// The long composition's plan on 3 slots at three paces: faster than real time, about real time, slower.
	for (const msPerFrame of [60, 100, 200]) {
		it(`a viewer who starts when it says waits for no chunk, and starts soon after the latest safe start (1800 frames, 3 slots, ${msPerFrame} ms a frame a slot)`, () => {
			const sizes = chunkSizesForWatching({durationInFrames: 1800, maxFramesPerChunk: 150, slots: 3, slotsBesideFirstChunk: 2})!;
			const pace = {msPerFrame, startMs: 250};
			const render = simulate({sizes, slots: 3, endMs: 500, ...pace});
			// Asked as the player asks: from when the first segment is in, at every progress event.
			let startAt = render[0]!.finishedAt;
			for (;;) {
				const estimate = livePlaysThroughAt({job: job(1800), chunks: recordsAt(render, startAt, pace), now: startAt});
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
		});
	}

	it('starts at once when the render is far ahead of the viewer', () => {
		const pace = {msPerFrame: 10, startMs: 250};
		const render = simulate({sizes: [6, 60, 60, 60], slots: 3, endMs: 500, ...pace});
		// Chunks 0-2 are in; chunk 3 ends 0.8 s on, 4.2 s before a viewer starting now reaches it.
		const now = render[2]!.finishedAt + 1;
		assert.equal(recordsAt(render, now, pace)[3]!.status, 'rendering');
		const startAt = livePlaysThroughAt({job: job(186), chunks: recordsAt(render, now, pace), now})!;
		assert.equal(startAt, now);
	});
});
