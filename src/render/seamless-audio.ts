/**
 * The audio of a chunk rendered for seamless joins (Remotion's forSeamlessAacConcatenation): its
 * PCM runs from two AAC frames before the chunk to two after it, on the grid of 1024-sample AAC
 * frames that starts at the render's first frame. Each live segment keeps the AAC frames of its
 * own stretch of the grid, encoded from audio that includes its neighbours' edges, so that the
 * segments' audio plays as one stream (the method of wistia/seamless-aac-split-and-stitch-demo,
 * which Remotion cites); the stitch cuts each chunk's PCM back to the chunk's own frames.
 * Times here are seconds from the render's first frame.
 */

import fs from 'node:fs';
import {sliceWav, wavSampleCount} from './wav-file.js';

export const AAC_FRAME_SAMPLES = 1024;
/** Remotion's sample rate when the composition sets none. */
export const DEFAULT_SAMPLE_RATE = 48_000;
const PADDING_FRAMES = 2;

/**
 * The AAC frame border nearest to a time, as Remotion's getClosestAlignedTime() finds it (its
 * rounding, which treats x.4999999 as x.5, included): the two must agree to the sample.
 */
export const alignedTime = (seconds: number, sampleRate: number): number => {
	const frameMicros = (AAC_FRAME_SAMPLES / sampleRate) * 1_000_000;
	const index = (seconds * 1_000_000) / frameMicros;
	return ((index % 1 > 0.4999999 ? Math.ceil(index) : Math.floor(index)) * frameMicros) / 1_000_000;
};

export type ChunkAudioSpan = {
	/** The chunk's own frames: [first, last + 1) in seconds. */
	startSeconds: number;
	endSeconds: number;
	fps: number;
	sampleRate: number;
};

/** Where the padded PCM of a chunk starts, as Remotion renders it. */
export const paddedStartSeconds = ({startSeconds, sampleRate}: ChunkAudioSpan): number =>
	Math.max(0, alignedTime(startSeconds, sampleRate) - (PADDING_FRAMES * AAC_FRAME_SAMPLES) / sampleRate);

/** How long the padded PCM of a chunk is, in samples. */
export const paddedSampleCount = (span: ChunkAudioSpan): number => {
	const end = alignedTime(span.endSeconds, span.sampleRate) + (PADDING_FRAMES * AAC_FRAME_SAMPLES) / span.sampleRate;
	return Math.round((end - paddedStartSeconds(span)) * span.sampleRate);
};

/** The samples of the padded PCM that are the chunk's own frames: where they start, and how many. */
export const ownSamples = (span: ChunkAudioSpan): {fromSample: number; samples: number} => {
	const at = (seconds: number) => Math.round(seconds * span.sampleRate);
	return {fromSample: at(span.startSeconds) - at(paddedStartSeconds(span)), samples: at(span.endSeconds) - at(span.startSeconds)};
};

/**
 * Which AAC frames of the padded PCM's encoding belong to the segment: an encoder's frame n holds
 * the input's samples from (n - 1) x 1024 on (frame 0 is its priming). `offsetSeconds` is where the
 * first kept frame starts relative to the chunk's first frame (within half an AAC frame).
 */
export const segmentAacFrames = (span: ChunkAudioSpan): {skip: number; keep: number; offsetSeconds: number} => {
	const frameSeconds = AAC_FRAME_SAMPLES / span.sampleRate;
	const first = alignedTime(span.startSeconds, span.sampleRate);
	const end = alignedTime(span.endSeconds, span.sampleRate);
	return {
		skip: Math.round((first - paddedStartSeconds(span)) / frameSeconds) + 1,
		keep: Math.round((end - first) / frameSeconds),
		offsetSeconds: first - span.startSeconds,
	};
};

/**
 * Which form a chunk's PCM has: its own samples (rendered without a live stream, or for a render
 * that plays no audio) or padded for seamless joins. Anything else is refused rather than joined
 * into audio that would repeat or drift.
 */
const pcmForm = (file: string, span: ChunkAudioSpan, chunkIndex: number): 'own' | 'padded' => {
	const count = wavSampleCount(file);
	const own = ownSamples(span).samples;
	if (Math.abs(count - own) <= 1) {
		return 'own';
	}
	const padded = paddedSampleCount(span);
	if (Math.abs(count - padded) <= 1) {
		return 'padded';
	}
	throw new Error(`chunk ${chunkIndex}'s audio has ${count} samples: neither its own ${own} nor the ${padded} of its padded form`);
};

/** A chunk's PCM as the chunk's own samples, for the stitch: a padded one cut back to them in place. */
export const cutToOwnSamples = (file: string, span: ChunkAudioSpan, chunkIndex: number): void => {
	if (pcmForm(file, span, chunkIndex) === 'own') {
		return;
	}
	const own = ownSamples(span);
	sliceWav(file, `${file}.own.wav`, own.fromSample, own.samples);
	fs.renameSync(`${file}.own.wav`, file);
};

/**
 * A chunk's PCM in its padded form, for its live segment: a padded one as it is, its own samples
 * with silence around them written to `outFile` (a render that plays no audio, whose neighbours'
 * edges are silent too). Returns the file that holds the padded form.
 */
export const toPaddedSamples = (file: string, outFile: string, span: ChunkAudioSpan, chunkIndex: number): string => {
	if (pcmForm(file, span, chunkIndex) === 'padded') {
		return file;
	}
	sliceWav(file, outFile, -ownSamples(span).fromSample, paddedSampleCount(span));
	return outFile;
};
