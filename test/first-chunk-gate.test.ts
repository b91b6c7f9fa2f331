import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createFirstChunkGate} from '../src/worker/first-chunk-gate.js';

const never = new AbortController().signal;
const settledWithin = async (promise: Promise<unknown>, ms: number) =>
	Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the first-chunk gate', () => {
	it('starts the first chunks at once; the later ones of the render wait for its first frame', async () => {
		const gate = createFirstChunkGate({startAtOnce: 2, beforeFirstChunkEnds: 4, maxWaitMs: 60_000});
		const first = await gate.enter('r', 0, never);
		assert.equal(await settledWithin(gate.enter('r', 1, never), 50), true, 'chunk 1 starts beside chunk 0');
		const third = gate.enter('r', 2, never);
		const fourth = gate.enter('r', 3, never);
		assert.equal(await settledWithin(third, 100), false, 'chunk 2 waits');
		assert.equal(await settledWithin(gate.enter('other', 2, never), 50), true, 'another render does not wait');
		first.rendered();
		assert.equal(await settledWithin(Promise.all([third, fourth]), 50), true, 'the first frame lets them go');
		first.ended();
		assert.equal(await settledWithin(gate.enter('r', 5, never), 50), true, 'and no one waits once it has ended');
	});

	it('holds the chunks beyond one a core until the first chunk has ended', async () => {
		const gate = createFirstChunkGate({startAtOnce: 1, beforeFirstChunkEnds: 2, maxWaitMs: 60_000});
		const first = await gate.enter('r', 0, never);
		const second = gate.enter('r', 1, never);
		const third = gate.enter('r', 2, never);
		first.rendered();
		assert.equal(await settledWithin(second, 50), true, 'chunk 1 goes at the first frame');
		assert.equal(await settledWithin(third, 100), false, 'chunk 2 is still held');
		first.ended();
		assert.equal(await settledWithin(third, 50), true, 'the end lets it go');
	});

	it('counts running chunks, not chunk numbers: a slot that freed early takes the next chunk at once', async () => {
		const gate = createFirstChunkGate({startAtOnce: 1, beforeFirstChunkEnds: 2, maxWaitMs: 60_000});
		const first = await gate.enter('r', 0, never);
		first.rendered();
		const second = await gate.enter('r', 1, never);
		second.ended();
		assert.equal(await settledWithin(gate.enter('r', 2, never), 50), true, 'chunk 2 runs beside chunk 0 only, as chunk 1 did');
		assert.equal(await settledWithin(gate.enter('r', 3, never), 100), false, 'a third chunk at once is held');
	});

	it('lets the later chunks go when the first one fails before its first frame', async () => {
		const gate = createFirstChunkGate({startAtOnce: 1, beforeFirstChunkEnds: 2, maxWaitMs: 60_000});
		const first = await gate.enter('r', 0, never);
		const waiting = Promise.all([gate.enter('r', 1, never), gate.enter('r', 2, never)]);
		first.ended();
		assert.equal(await settledWithin(waiting, 50), true);
	});

	it('waits at most maxWaitMs, and not at all once the task is aborted', async () => {
		const gate = createFirstChunkGate({startAtOnce: 1, beforeFirstChunkEnds: 2, maxWaitMs: 150});
		await gate.enter('r', 0, never);
		const startedAt = Date.now();
		await gate.enter('r', 1, never);
		assert.ok(Date.now() - startedAt >= 140, 'held until the limit');
		const stopping = new AbortController();
		const waiting = gate.enter('r', 2, stopping.signal);
		stopping.abort();
		assert.equal(await settledWithin(waiting, 50), true);
	});
});
