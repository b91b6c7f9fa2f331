import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createFirstFrameGate} from '../src/worker/first-frame-gate.js';

const never = new AbortController().signal;
const settledWithin = async (promise: Promise<unknown>, ms: number) =>
	Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the first-frame gate', () => {
	it('starts one chunk per core at once; the later chunks of the render wait for its first frame', async () => {
		const gate = createFirstFrameGate({startAtOnce: 2, maxWaitMs: 60_000});
		const open = await gate.enter('r', 0, never);
		assert.equal(await settledWithin(gate.enter('r', 1, never), 50), true, 'chunk 1 starts beside chunk 0');
		const third = gate.enter('r', 2, never);
		const fourth = gate.enter('r', 3, never);
		assert.equal(await settledWithin(third, 100), false, 'chunk 2 waits');
		assert.equal(await settledWithin(gate.enter('other', 2, never), 50), true, 'another render does not wait');
		open();
		assert.equal(await settledWithin(Promise.all([third, fourth]), 50), true, 'the first frame lets them go');
		assert.equal(await settledWithin(gate.enter('r', 5, never), 50), true, 'and no one waits afterwards');
	});

	it('waits at most maxWaitMs, and not at all once the task is aborted', async () => {
		const gate = createFirstFrameGate({startAtOnce: 1, maxWaitMs: 150});
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
