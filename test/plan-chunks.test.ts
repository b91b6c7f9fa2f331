import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {balancedFramesPerChunk, planChunks} from '../src/render/plan-chunks.js';

describe('planChunks', () => {
	const cases: {durationInFrames: number; framesPerChunk: number; expected: [number, number][]}[] = [
		{durationInFrames: 1, framesPerChunk: 60, expected: [[0, 0]]},
		{durationInFrames: 60, framesPerChunk: 60, expected: [[0, 59]]},
		{durationInFrames: 61, framesPerChunk: 60, expected: [[0, 59], [60, 60]]},
		{durationInFrames: 90, framesPerChunk: 30, expected: [[0, 29], [30, 59], [60, 89]]},
		{durationInFrames: 100, framesPerChunk: 30, expected: [[0, 29], [30, 59], [60, 89], [90, 99]]},
		{durationInFrames: 150, framesPerChunk: 60, expected: [[0, 59], [60, 119], [120, 149]]},
		{durationInFrames: 5, framesPerChunk: 1, expected: [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]},
		{durationInFrames: 10, framesPerChunk: 1000, expected: [[0, 9]]},
	];
	for (const {durationInFrames, framesPerChunk, expected} of cases) {
		it(`${durationInFrames} frames in chunks of ${framesPerChunk}`, () => {
			const plan = planChunks({durationInFrames, framesPerChunk});
			assert.deepEqual(
				plan.map((chunk) => chunk.frameRange),
				expected,
			);
			assert.deepEqual(
				plan.map((chunk) => chunk.index),
				expected.map((_, index) => index),
			);
		});
	}

	it('covers every frame exactly once for many sizes', () => {
		for (let durationInFrames = 1; durationInFrames <= 200; durationInFrames += 7) {
			for (const framesPerChunk of [1, 2, 7, 30, 60, 199, 500]) {
				const frames = planChunks({durationInFrames, framesPerChunk}).flatMap(({frameRange: [first, last]}) =>
					Array.from({length: last - first + 1}, (_, i) => first + i),
				);
				assert.deepEqual(frames, Array.from({length: durationInFrames}, (_, i) => i));
			}
		}
	});

	for (const [durationInFrames, framesPerChunk] of [
		[0, 60],
		[-1, 60],
		[1.5, 60],
		[60, 0],
		[60, 2.5],
		[Number.NaN, 60],
	] as const) {
		it(`rejects durationInFrames=${durationInFrames}, framesPerChunk=${framesPerChunk}`, () => {
			assert.throws(() => planChunks({durationInFrames, framesPerChunk}), RangeError);
		});
	}
});

describe('balancedFramesPerChunk', () => {
	it('gives every slot the same share, at most the maximum a chunk', () => {
		for (const [durationInFrames, slots, expected] of [
			[300, 2, 50],
			[90, 2, 45],
			[1800, 2, 60],
			[301, 2, 51],
			[10, 2, 5],
			[1, 4, 1],
			[300, 4, 38],
		] as const) {
			const size = balancedFramesPerChunk({durationInFrames, maxFramesPerChunk: 60, slots});
			assert.equal(size, expected, `${durationInFrames} frames on ${slots} slots`);
			const chunks = planChunks({durationInFrames, framesPerChunk: size}).length;
			assert.ok(size <= 60);
			assert.ok(chunks % slots === 0 || chunks < slots || durationInFrames < slots * 2, `${chunks} chunks for ${slots} slots`);
		}
	});
	it('keeps the maximum when the slots are not known', () => {
		assert.equal(balancedFramesPerChunk({durationInFrames: 300, maxFramesPerChunk: 60, slots: null}), 60);
		assert.equal(balancedFramesPerChunk({durationInFrames: 20, maxFramesPerChunk: 60, slots: null}), 20);
	});
});
