import {combineChunks, makeCancelSignal} from '@remotion/renderer';
import {compositorDirectory} from './compositor-binaries.js';
import type {RenderedChunk} from './render-chunk.js';

const PCM_CHUNK_SIZE = 1;

export type StitchChunksOptions = {
	chunks: RenderedChunk[];
	outFile: string;
	fps: number;
	durationInFrames: number;
	signal?: AbortSignal;
	/** Frames joined so far. */
	onProgress?: (framesEncoded: number) => void;
};

/**
 * Joins the chunks, in order, into one MP4: the h264 streams are concatenated with `-c copy`
 * (never re-encoded), the PCM audio is joined and encoded to AAC once, and the two are muxed
 * with faststart so a browser can play the file while it downloads.
 */
export const stitchChunks = async (options: StitchChunksOptions): Promise<void> => {
	const {cancelSignal, cancel} = makeCancelSignal();
	const onAbort = () => cancel();
	options.signal?.throwIfAborted();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		await combineChunks({
			outputLocation: options.outFile,
			videoFiles: options.chunks.map((chunk) => chunk.videoFile),
			audioFiles: options.chunks.map((chunk) => chunk.audioFile),
			codec: 'h264',
			audioCodec: 'aac',
			fps: options.fps,
			// combineChunks() picks its seamless-AAC join from the chunk size alone (and uses the size
			// for nothing else): a size below its threshold makes it join our PCM chunks and encode once.
			framesPerChunk: PCM_CHUNK_SIZE,
			compositionDurationInFrames: options.durationInFrames,
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
