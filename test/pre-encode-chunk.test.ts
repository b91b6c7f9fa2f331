import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {preEncodeChunk} from '../src/render/render-chunk.js';

describe("a chunk's h264 pre-encode", () => {
	const args = ['-r', '30', '-i', '-', '-c:v', 'libx264', '-crf', '18', '-y', '/tmp/pre-encode.mkv'];

	it("writes MP4, with the slot's share of the cores for x264 when given, to the same output file", () => {
		assert.deepEqual(preEncodeChunk(1)({type: 'pre-stitcher', args}), [...args.slice(0, -1), '-threads', '1', '-f', 'mp4', '/tmp/pre-encode.mkv']);
		assert.deepEqual(preEncodeChunk(null)({type: 'pre-stitcher', args}), [...args.slice(0, -1), '-f', 'mp4', '/tmp/pre-encode.mkv']);
	});

	it("leaves the stitcher's arguments as they are", () => {
		assert.deepEqual(preEncodeChunk(2)({type: 'stitcher', args}), args);
	});
});
