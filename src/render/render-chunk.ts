import path from 'node:path';
import {makeCancelSignal, renderMedia, type HeadlessBrowser} from '@remotion/renderer';
import {COMPOSITION_ID, type DynamicCodeProps} from '../code/dynamic-code-props.js';
import {framesInChunk, type ChunkPlan} from './chunk-plan.js';
import {toChunkError} from './chunk-error.js';

export type ChunkProgress = {renderedFrames: number; encodedFrames: number};

export type RenderedChunk = {
	videoFile: string;
	audioFile: string;
};

export type RenderChunkOptions = {
	browser: HeadlessBrowser;
	serveUrl: string;
	props: DynamicCodeProps;
	chunk: ChunkPlan;
	/** The render's chunk size: it, not this chunk's length, decides seamless audio (as in combineChunks). */
	framesPerChunk: number;
	outDir: string;
	attempt: number;
	signal?: AbortSignal;
	onProgress?: (progress: ChunkProgress) => void;
};

// Remotion cannot join AAC seamlessly when chunks are this short; it falls back to PCM.
const MIN_FRAMES_FOR_SEAMLESS_AAC = 5;

/**
 * Renders one frame range into an h264 MPEG-TS video file and a separate audio file, the form
 * combineChunks() joins without re-encoding the video (mp4 chunks would silently lose all but
 * the first). Audio is always written, so every output has an audio track of full length.
 */
export const renderChunk = async (options: RenderChunkOptions): Promise<RenderedChunk> => {
	const {chunk, props} = options;
	const name = `chunk-${String(chunk.index).padStart(6, '0')}`;
	const seamlessAudio = options.framesPerChunk >= MIN_FRAMES_FOR_SEAMLESS_AAC;
	const videoFile = path.join(options.outDir, `${name}.ts`);
	const audioFile = path.join(options.outDir, seamlessAudio ? `${name}.aac` : `${name}.wav`);

	const {cancelSignal, cancel} = makeCancelSignal();
	const onAbort = () => cancel();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		options.signal?.throwIfAborted();
		await renderMedia({
			serveUrl: options.serveUrl,
			composition: {
				id: COMPOSITION_ID,
				width: props.width,
				height: props.height,
				fps: props.fps,
				durationInFrames: props.durationInFrames,
				defaultProps: {},
				props,
				defaultCodec: null,
				defaultOutName: null,
				defaultVideoImageFormat: null,
				defaultPixelFormat: null,
				defaultProResProfile: null,
				defaultSampleRate: null,
			},
			inputProps: props,
			codec: 'h264-ts',
			audioCodec: seamlessAudio ? 'aac' : 'pcm-16',
			separateAudioTo: audioFile,
			forSeamlessAacConcatenation: seamlessAudio,
			enforceAudioTrack: true,
			frameRange: chunk.frameRange,
			outputLocation: videoFile,
			puppeteerInstance: options.browser,
			// Parallelism comes from many slots, each rendering its own chunk on one tab.
			concurrency: 1,
			cancelSignal,
			overwrite: true,
			logLevel: 'error',
			onProgress: ({renderedFrames, encodedFrames}) =>
				options.onProgress?.({
					renderedFrames: Math.min(renderedFrames, framesInChunk(chunk)),
					encodedFrames: Math.min(encodedFrames, framesInChunk(chunk)),
				}),
		});
		return {videoFile, audioFile};
	} catch (err) {
		throw toChunkError(err, {chunk, attempt: options.attempt, aborted: options.signal?.aborted ?? false});
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
};
