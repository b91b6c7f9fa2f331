import {combineChunks, makeCancelSignal} from '@remotion/renderer';
import {compositorDirectory} from './compositor-binaries.js';
import {outputAudioCodec, type OutputCodec} from './codecs.js';
import type {RenderedChunk} from './render-chunk.js';
import type {RenderOptions} from './render-options.js';

const PCM_CHUNK_SIZE = 1;

export type StitchChunksOptions = {
	chunks: RenderedChunk[];
	outFile: string;
	codec: OutputCodec;
	options: Pick<RenderOptions, 'audioCodec' | 'audioBitrate' | 'numberOfGifLoops' | 'metadata'>;
	fps: number;
	/** The composition's, and the frames of it the chunks hold. */
	durationInFrames: number;
	frameRange: [number, number];
	/** The chunks hold every nth frame (gif): their frame rate is fps / n. */
	everyNthFrame: number;
	signal?: AbortSignal;
	/** Frames joined so far. */
	onProgress?: (framesEncoded: number) => void;
};

/**
 * Joins the chunks, in order, into the output as Remotion Lambda's combineChunks() does: the
 * video streams are concatenated with `-c copy` (never re-encoded; a GIF is made once, with one
 * palette, from the joined chunks), the PCM audio is joined and encoded once to the output's
 * audio codec, and the two are muxed (an MP4 with faststart, so a browser plays it while it loads).
 */
export const stitchChunks = async (options: StitchChunksOptions): Promise<void> => {
	const {cancelSignal, cancel} = makeCancelSignal();
	const onAbort = () => cancel();
	options.signal?.throwIfAborted();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		await combineChunks({
			outputLocation: options.outFile,
			videoFiles: options.chunks.flatMap((chunk) => (chunk.videoFile === null ? [] : [chunk.videoFile])),
			audioFiles: options.chunks.flatMap((chunk) => (chunk.audioFile === null ? [] : [chunk.audioFile])),
			codec: options.codec,
			audioCodec: outputAudioCodec(options.codec, options.options.audioCodec),
			audioBitrate: options.options.audioBitrate ?? null,
			numberOfGifLoops: options.options.numberOfGifLoops ?? null,
			metadata: options.options.metadata ?? null,
			fps: options.fps / options.everyNthFrame,
			everyNthFrame: options.everyNthFrame,
			// combineChunks() picks its seamless-AAC join from the chunk size alone (and uses the size
			// for nothing else): a size below its threshold makes it join our PCM chunks and encode once.
			framesPerChunk: PCM_CHUNK_SIZE,
			compositionDurationInFrames: options.durationInFrames,
			frameRange: options.frameRange,
			preferLossless: false,
			binariesDirectory: compositorDirectory(),
			cancelSignal,
			logLevel: 'error',
			onProgress: ({frames}) => options.onProgress?.(Math.round(frames)),
		});
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
};
