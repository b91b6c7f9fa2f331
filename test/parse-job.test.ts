import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseJob} from '../src/backend/parse-job.js';
import {testJob} from './backend-conformance.js';

describe('parseJob', () => {
	it('reads a job as it was stored', () => {
		const job = testJob({durationInFrames: 12});
		assert.deepEqual(parseJob(JSON.stringify(job)), job);
	});

	it('reads a code render stored before sites existed as a render of the built-in site', () => {
		const stored = {durationInFrames: 90, fps: 25, width: 640, height: 360, framesPerChunk: 30, codec: 'h264', outName: 'a.mp4', js: 'module.exports = {}', exportName: 'Clip', webhook: null};
		const job = parseJob(JSON.stringify(stored));
		assert.deepEqual(job.site, {kind: 'builtin'});
		assert.deepEqual(job.composition, {id: 'DynamicCode', durationInFrames: 90, fps: 25, width: 640, height: 360, props: null, defaultProps: {}});
		assert.deepEqual(job.inputProps, {js: 'module.exports = {}', exportName: 'Clip', durationInFrames: 90, fps: 25, width: 640, height: 360});
		assert.deepEqual([job.framesPerChunk, job.codec, job.outName, job.webhook], [30, 'h264', 'a.mp4', null]);
	});
});
