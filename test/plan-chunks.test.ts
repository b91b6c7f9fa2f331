import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {balancedFramesPerChunk, planChunks} from '../src/render/plan-chunks.js';
import {chunkSizesForWatching, FIRST_CHUNK_FRAMES} from '../src/render/plan-for-watching.js';

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

describe('chunkSizesForWatching', () => {
	const plans = function* () {
		for (let durationInFrames = 1; durationInFrames <= 3000; durationInFrames += 13) {
			for (const maxFramesPerChunk of [30, 60, 150]) {
				for (const [slots, slotsBesideFirstChunk] of [[1], [2], [3], [4], [null], [3, 2], [4, 2]] as const) {
					const sizes = chunkSizesForWatching({durationInFrames, maxFramesPerChunk, slots, slotsBesideFirstChunk});
					if (sizes !== null) {
						yield {durationInFrames, maxFramesPerChunk, slots, slotsBesideFirstChunk, sizes};
					}
				}
			}
		}
	};

	// A chunk weighs its frames plus 4 for its set-up, as in the plan. Every slot takes a chunk at
	// once; those after the first start a set-up late, waiting for the first chunk's first frame,
	// and those beyond slotsBesideFirstChunk wait for its end (its set-up and frames), at most 8
	// frames' worth in all, as the gate lets them go after 1 s. Later chunks go to the slot that
	// frees first. Each slot's end.
	const weighedEnd = (sizes: number[], slots: number, besideFirst = slots) => {
		const loads = Array.from({length: slots}, (_, slot): number => (slot === 0 ? 0 : slot < besideFirst ? 4 : Math.min(sizes[0]! + 4, 8)));
		sizes.forEach((size, dealt) => {
			loads[dealt < slots ? dealt : loads.indexOf(Math.min(...loads))]! += size + 4;
		});
		return loads;
	};

	it('starts with a short chunk, covers every frame once, and costs at most 2 % in extra chunks or 1 % in time by the same weight', () => {
		let count = 0;
		for (const {durationInFrames, maxFramesPerChunk, slots, slotsBesideFirstChunk, sizes} of plans()) {
			count++;
			const where = `${durationInFrames} frames, at most ${maxFramesPerChunk} a chunk, ${slots} slots (${slotsBesideFirstChunk ?? 'all'} beside the first chunk): ${sizes.join(' ')}`;
			assert.equal(sizes[0], FIRST_CHUNK_FRAMES, where);
			const frames = planChunks({durationInFrames, framesPerChunk: Math.max(...sizes), chunkFrames: sizes, firstFrame: 5}).flatMap(({frameRange: [first, last]}) =>
				Array.from({length: last - first + 1}, (_, i) => first + i),
			);
			assert.deepEqual(frames, Array.from({length: durationInFrames}, (_, i) => 5 + i), where);
			const even = planChunks({durationInFrames, framesPerChunk: balancedFramesPerChunk({durationInFrames, maxFramesPerChunk, slots})}).map(({frameRange: [first, last]}) => last - first + 1);
			const slotCount = Math.min(slots ?? 1, even.length);
			const withinChunks = sizes.length - even.length <= Math.floor((0.02 * durationInFrames) / 4);
			const besideFirst = slotsBesideFirstChunk ?? slotCount;
			const withinTime = Math.max(...weighedEnd(sizes, slotCount, besideFirst)) <= Math.max(...weighedEnd(even, slotCount, besideFirst)) * 1.01;
			// With more slots than cores no slot idles: time pays for one chunk more than the even plan's at most.
			const roomForRamp = besideFirst >= slotCount || sizes.length - even.length <= 1;
			assert.ok(withinChunks || (withinTime && roomForRamp), where);
			assert.ok(Math.max(...sizes) <= maxFramesPerChunk * 1.1, where);
		}
		assert.ok(count > 500, `only ${count} plans had a ramp`);
	});

	it('has the slots end together when each takes the next chunk as it frees up', () => {
		for (const {slots, slotsBesideFirstChunk, sizes} of plans()) {
			const loads = weighedEnd(sizes, slots ?? 1, slotsBesideFirstChunk);
			assert.ok(Math.max(...loads) - Math.min(...loads) <= 5, `${sizes.join(' ')} on ${slots} slots (${slotsBesideFirstChunk ?? 'all'} beside the first chunk) ends at ${loads.join(', ')}`);
		}
	});

	it('ramps up on long renders, gives short ones the short first chunk the even plan has room for, and leaves the rest to it', () => {
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 300, maxFramesPerChunk: 150, slots: 2}), [6, 150, 144]);
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 1800, maxFramesPerChunk: 150, slots: 2})?.slice(0, 9), [6, 9, 14, 21, 32, 48, 72, 108, 156]);
		// The even plan's first slot ends a set-up early (the other started late): the short chunk's set-up fits there.
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 90, maxFramesPerChunk: 150, slots: 2}), [6, 45, 39]);
		// With more slots than cores the cores stay busy: the short first chunk alone, then the even plan.
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 300, maxFramesPerChunk: 150, slots: 3, slotsBesideFirstChunk: 2}), [6, 102, 97, 95]);
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 90, maxFramesPerChunk: 150, slots: 3, slotsBesideFirstChunk: 2}), [6, 32, 27, 25]);
		// Long renders ramp within the 2 % of extra chunks all the same.
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 1800, maxFramesPerChunk: 150, slots: 3, slotsBesideFirstChunk: 2})?.slice(0, 8), [6, 9, 14, 21, 32, 48, 72, 108]);
		// One slot has no such room: it takes the 2 % of extra chunks, one a 200 frames.
		assert.equal(chunkSizesForWatching({durationInFrames: 190, maxFramesPerChunk: 150, slots: 1}), null);
		assert.deepEqual(chunkSizesForWatching({durationInFrames: 200, maxFramesPerChunk: 150, slots: 1}), [6, 97, 97]);
	});

	it('refuses chunk sizes that do not add up to the render', () => {
		assert.throws(() => planChunks({durationInFrames: 10, framesPerChunk: 5, chunkFrames: [5, 4]}), RangeError);
		assert.throws(() => planChunks({durationInFrames: 10, framesPerChunk: 5, chunkFrames: [11, -1]}), RangeError);
	});
});
