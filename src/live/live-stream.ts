import type {ChunkRecord, RenderJob} from '../backend/render-record.js';
import {renderedFrameRange} from '../render/rendered-frames.js';
import {DEFAULT_SAMPLE_RATE, type ChunkAudioSpan} from '../render/seamless-audio.js';

/**
 * Whether a render can be watched while it renders: its chunks are h264 in MPEG-TS, what HLS
 * plays, and every frame of the range is rendered (with everyNthFrame the chunks' timing is not
 * the video's).
 */
export const hasLiveStream = (job: Pick<RenderJob, 'codec' | 'options'>): boolean => job.codec === 'h264' && (job.options.everyNthFrame ?? 1) === 1;

/** Where a chunk starts in the rendered video, and how long it plays, in seconds. */
export const segmentTiming = (job: Pick<RenderJob, 'composition' | 'options'>, chunk: Pick<ChunkRecord, 'frameRange'>): {startSeconds: number; seconds: number} => {
	const [first] = renderedFrameRange(job);
	const {fps} = job.composition;
	return {startSeconds: (chunk.frameRange[0] - first) / fps, seconds: (chunk.frameRange[1] - chunk.frameRange[0] + 1) / fps};
};

/**
 * A chunk's stretch of the render's audio, for its segment and its stitch (see seamless-audio.ts).
 * Renders with a live stream render their chunks' audio padded for seamless joins.
 */
export const chunkAudioSpan = (job: Pick<RenderJob, 'composition' | 'options'>, chunk: Pick<ChunkRecord, 'frameRange'>): ChunkAudioSpan => {
	const {startSeconds, seconds} = segmentTiming(job, chunk);
	return {startSeconds, endSeconds: startSeconds + seconds, fps: job.composition.fps, sampleRate: DEFAULT_SAMPLE_RATE};
};
