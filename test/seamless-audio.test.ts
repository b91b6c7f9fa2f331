import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {adtsFrames} from '../src/render/adts.js';
import {compositorBinary} from '../src/render/compositor-binaries.js';
import {alignedTime, cutToOwnSamples, ownSamples, paddedSampleCount, paddedStartSeconds, segmentAacFrames, toPaddedSamples, type ChunkAudioSpan} from '../src/render/seamless-audio.js';
import {readWavLayout, sliceWav, wavSampleCount} from '../src/render/wav-file.js';
import {makeTempDir} from './helpers.js';

// Remotion's own arithmetic, which ours must match to the sample. Its package exports only its
// entry points: the files are loaded by path.
const remotionDist = path.dirname(createRequire(import.meta.url).resolve('@remotion/renderer'));
const remotion = {
	getClosestAlignedTime: createRequire(import.meta.url)(path.join(remotionDist, 'combine-audio.js')).getClosestAlignedTime as (seconds: number, sampleRate: number) => number,
	getExtraFramesToCapture: createRequire(import.meta.url)(path.join(remotionDist, 'get-extra-frames-to-capture.js')).getExtraFramesToCapture as (options: {
		compositionStart: number;
		realFrameRange: [number, number];
		fps: number;
		forSeamlessAacConcatenation: boolean;
		sampleRate: number;
	}) => {extraFramesToCaptureAssetsFrontend: number[]; chunkLengthInSeconds: number; trimLeftOffset: number},
};

const spanOf = (first: number, last: number, fps: number, renderStart = 0): ChunkAudioSpan => ({
	startSeconds: (first - renderStart) / fps,
	endSeconds: (last + 1 - renderStart) / fps,
	fps,
	sampleRate: 48_000,
});

/** A 16-bit stereo WAV whose left sample n is n (mod 32768): any slice shows where it came from. */
const countingWav = (file: string, samples: number) => {
	execFileSync(compositorBinary('ffmpeg'), ['-v', 'error', '-y', '-f', 'lavfi', '-i', `anullsrc=r=48000:cl=stereo`, '-t', String(samples / 48_000), '-c:a', 'pcm_s16le', file]);
	const layout = readWavLayout(file);
	const data = Buffer.alloc(samples * 4);
	for (let n = 0; n < samples; n++) {
		data.writeInt16LE(n % 32_768, n * 4);
	}
	const bytes = fs.readFileSync(file);
	data.copy(bytes, layout.dataOffset, 0, Math.min(data.length, layout.dataBytes));
	fs.writeFileSync(file, bytes);
};

describe('seamless chunk audio: the arithmetic', () => {
	it("finds AAC frame borders as Remotion's getClosestAlignedTime does", () => {
		for (let i = 0; i < 2000; i++) {
			const seconds = i / 29.97 + i / 7;
			for (const sampleRate of [44_100, 48_000]) {
				assert.equal(alignedTime(seconds, sampleRate), remotion.getClosestAlignedTime(seconds, sampleRate), `${seconds} s at ${sampleRate} Hz`);
			}
		}
	});

	it('pads a chunk where Remotion pads it: from two AAC frames before to two after, from the render\'s first frame', () => {
		for (const fps of [25, 29.97, 30, 60]) {
			for (const [first, last, renderStart] of [[0, 5, 0], [6, 157, 0], [158, 299, 0], [20, 39, 0], [40, 59, 10], [1000, 1149, 0]] as const) {
				const span = spanOf(first, last, fps, renderStart);
				const theirs = remotion.getExtraFramesToCapture({compositionStart: renderStart, realFrameRange: [first, last], fps, forSeamlessAacConcatenation: true, sampleRate: 48_000});
				const theirStart = ((theirs.extraFramesToCaptureAssetsFrontend[0] ?? first) - renderStart) / fps + theirs.trimLeftOffset;
				assert.ok(Math.abs(paddedStartSeconds(span) - theirStart) < 1e-9, `frames ${first}-${last} at ${fps} fps: ${paddedStartSeconds(span)} against ${theirStart}`);
				assert.equal(paddedSampleCount(span), Math.round(theirs.chunkLengthInSeconds * 48_000), `frames ${first}-${last} at ${fps} fps`);
			}
		}
	});

	it("gives each segment the AAC frames of its own stretch of the grid: consecutive chunks' frames follow each other, none twice", () => {
		for (const fps of [25, 30, 60]) {
			const sizes = [6, 9, 14, 21, 32, 48, 72, 108, 150, 150, 37];
			let first = 0;
			let next = 0;
			for (const size of sizes) {
				const span = spanOf(first, first + size - 1, fps);
				const {skip, keep, offsetSeconds} = segmentAacFrames(span);
				const startsAt = span.startSeconds + offsetSeconds;
				assert.ok(Math.abs(startsAt - next * (1024 / 48_000)) < 1e-9, `the segment of frames ${first}+ starts at AAC frame ${next}`);
				assert.ok(Math.abs(offsetSeconds) <= 512 / 48_000 + 1e-9, 'within half an AAC frame of the chunk');
				assert.equal(skip, first === 0 ? 1 : 3, 'the priming, and the two frames of padding before a chunk that has them');
				// The kept frames lie inside the padded PCM's encoding.
				assert.ok((skip + keep - 1) * 1024 <= paddedSampleCount(span) + 1024);
				next += keep;
				first += size;
			}
			assert.ok(Math.abs(next * (1024 / 48_000) - first / fps) <= 512 / 48_000 + 1e-9, 'together they last the video, to half an AAC frame');
		}
	});
});

describe('seamless chunk audio: the files', () => {
	const dir = makeTempDir();
	after(() => fs.rmSync(dir, {recursive: true, force: true}));

	it('slices a WAV to the sample, and pads past its end with silence', () => {
		const file = path.join(dir, 'counting.wav');
		countingWav(file, 48_000);
		assert.equal(wavSampleCount(file), 48_000);
		const slice = path.join(dir, 'slice.wav');
		sliceWav(file, slice, 1000, 500);
		assert.equal(wavSampleCount(slice), 500);
		const layout = readWavLayout(slice);
		const data = fs.readFileSync(slice).subarray(layout.dataOffset);
		assert.deepEqual([data.readInt16LE(0), data.readInt16LE(499 * 4)], [1000, 1499]);
		sliceWav(file, slice, 47_900, 200);
		const tail = fs.readFileSync(slice).subarray(readWavLayout(slice).dataOffset);
		assert.deepEqual([tail.readInt16LE(99 * 4), tail.readInt16LE(100 * 4), tail.readInt16LE(199 * 4)], [47_999 % 32_768, 0, 0]);
		// ffmpeg reads it as what it says it is.
		const probed = execFileSync(compositorBinary('ffprobe'), ['-v', 'error', '-show_entries', 'stream=duration_ts', '-of', 'csv=p=0', slice]).toString().trim();
		assert.equal(probed, '200');
	});

	it("cuts a chunk's padded PCM back to its own samples, leaves an exact one alone, and refuses any other length", () => {
		const span = spanOf(20, 39, 25);
		const padded = path.join(dir, 'padded.wav');
		countingWav(padded, paddedSampleCount(span));
		cutToOwnSamples(padded, span, 1);
		const own = ownSamples(span);
		assert.equal(wavSampleCount(padded), own.samples);
		assert.equal(fs.readFileSync(padded).readInt16LE(readWavLayout(padded).dataOffset), own.fromSample, 'it starts at the chunk\'s first sample');

		const exact = path.join(dir, 'exact.wav');
		countingWav(exact, own.samples);
		const before = fs.readFileSync(exact);
		cutToOwnSamples(exact, span, 1);
		assert.deepEqual(fs.readFileSync(exact), before);

		const odd = path.join(dir, 'odd.wav');
		countingWav(odd, own.samples + 100);
		assert.throws(() => cutToOwnSamples(odd, span, 7), /chunk 7's audio has 38500 samples/);
	});

	it("pads a chunk's own samples with silence to its padded form, leaves a padded one alone, and refuses any other length", () => {
		for (const span of [spanOf(20, 39, 25), spanOf(0, 5, 30)]) {
			const own = ownSamples(span);
			const exact = path.join(dir, 'own.wav');
			countingWav(exact, own.samples);
			const out = path.join(dir, 'padded-from-own.wav');
			assert.equal(toPaddedSamples(exact, out, span, 1), out);
			assert.equal(wavSampleCount(out), paddedSampleCount(span));
			const layout = readWavLayout(out);
			const samples = fs.readFileSync(out).subarray(layout.dataOffset);
			const left = (n: number) => samples.readInt16LE(n * 4);
			// Silence before and after; the chunk's own samples, in order, where the padded form has them.
			assert.ok(Array.from({length: own.fromSample}, (_, n) => left(n)).every((value) => value === 0));
			assert.deepEqual([left(own.fromSample), left(own.fromSample + 1), left(own.fromSample + own.samples - 1)], [0, 1, (own.samples - 1) % 32_768]);
			assert.equal(left(own.fromSample + own.samples), 0);
			assert.equal(left(paddedSampleCount(span) - 1), 0);
			// Cut back, it is the chunk's own samples again.
			cutToOwnSamples(out, span, 1);
			assert.deepEqual(fs.readFileSync(out).subarray(readWavLayout(out).dataOffset), fs.readFileSync(exact).subarray(readWavLayout(exact).dataOffset));
		}
		const span = spanOf(20, 39, 25);
		const padded = path.join(dir, 'already-padded.wav');
		countingWav(padded, paddedSampleCount(span));
		assert.equal(toPaddedSamples(padded, path.join(dir, 'unused.wav'), span, 1), padded);
		assert.equal(fs.existsSync(path.join(dir, 'unused.wav')), false);
		const odd = path.join(dir, 'odd-length.wav');
		countingWav(odd, ownSamples(span).samples + 100);
		assert.throws(() => toPaddedSamples(odd, path.join(dir, 'unused.wav'), span, 4), /chunk 4's audio has 38500 samples/);
	});

	it('splits an ADTS stream into its AAC frames', () => {
		const file = path.join(dir, 'tone.aac');
		execFileSync(compositorBinary('ffmpeg'), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '1', '-c:a', 'aac', '-f', 'adts', file]);
		const stream = fs.readFileSync(file);
		const frames = adtsFrames(stream);
		// 48000 samples in frames of 1024, the encoder's priming frame and its flush.
		assert.ok(frames.length >= 47 && frames.length <= 49, `${frames.length} frames`);
		assert.deepEqual(Buffer.concat(frames), stream);
		assert.throws(() => adtsFrames(stream.subarray(1)), /not an ADTS frame at byte 0/);
		assert.throws(() => adtsFrames(stream.subarray(0, stream.length - 3)), /runs past the stream/);
	});
});
