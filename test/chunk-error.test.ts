import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {toChunkError} from '../src/render/chunk-error.js';

// An error as Remotion throws it from a page, with the frame it names.
const thrownAt = (frame: number | null) => Object.assign(new Error('no frame 5'), frame === null ? {} : {frame});

describe('toChunkError names the frame that failed', () => {
	const chunk = {index: 1, frameRange: [4, 7] as [number, number]};

	it('trusts a frame Remotion names inside the chunk', () => {
		assert.equal(toChunkError(thrownAt(6), {chunk, attempt: 1, aborted: false, framesRendered: 2}).frame, 6);
	});

	it('trusts a frame named after the range: an audio frame the chunk evaluates for a seamless live stream', () => {
		// Chunk 0 of 0-3 evaluates 4, 5 and 6 for their audio; the component threw at 5.
		const first = {index: 0, frameRange: [0, 3] as [number, number]};
		assert.equal(toChunkError(thrownAt(5), {chunk: first, attempt: 1, aborted: false, framesRendered: 4}).frame, 5);
	});

	it('takes the frame after the last rendered when Remotion names the frame the page was set up at, before the range', () => {
		assert.equal(toChunkError(thrownAt(2), {chunk, attempt: 1, aborted: false, framesRendered: 1}).frame, 5);
		assert.equal(toChunkError(thrownAt(null), {chunk, attempt: 1, aborted: false, framesRendered: 3}).frame, 7);
	});

	it('falls back to the chunk’s first frame when the frames rendered are not known', () => {
		assert.equal(toChunkError(thrownAt(2), {chunk, attempt: 1, aborted: false}).frame, 4);
		assert.equal(toChunkError(thrownAt(null), {chunk, attempt: 1, aborted: false}).frame, null);
	});
});
