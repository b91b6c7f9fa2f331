import path from 'node:path';
import {makeCancelSignal, renderMedia, type HeadlessBrowser} from '@remotion/renderer';
import type {VideoConfig} from 'remotion';
import {CODECS, chunkFileNames, type OutputCodec} from './codecs.js';
import type {RenderOptions} from './render-options.js';
import {framesInChunk, type ChunkPlan} from './chunk-plan.js';
import {compositorDirectory} from './compositor-binaries.js';
import {watchBrowserMemory} from './browser-memory.js';
import {ChunkError, toChunkError} from './chunk-error.js';
import {watchChunkNetwork, type ChunkNetwork, type ChunkNetworkWatch} from './network/watch-chunk-network.js';

export type ChunkProgress = {renderedFrames: number; encodedFrames: number};

export type RenderLimits = {
	/** Longest a frame may take (Remotion's delayRender timeout). */
	frameMs: number;
	/** Longest the chunk may take; past it the page is taken for hung. */
	chunkMs: number;
	/** Longest a whole render may take from its start (the worker holds each chunk to it). */
	renderMs: number;
	/** Most memory the browser may use while rendering it, all its processes together; null: no limit. */
	memoryBytes: number | null;
};

/** A chunk's files: its video (null for audio codecs) and its PCM audio (null when the render has none). */
export type RenderedChunk = {
	videoFile: string | null;
	audioFile: string | null;
};

export type RenderChunkOptions = {
	browser: HeadlessBrowser;
	serveUrl: string;
	/** The composition as resolved for the render (see videoConfigOf), and the props it was resolved with. */
	composition: VideoConfig;
	inputProps: Record<string, unknown>;
	codec: OutputCodec;
	options: RenderOptions;
	chunk: ChunkPlan;
	outDir: string;
	attempt: number;
	limits: RenderLimits;
	signal?: AbortSignal;
	onProgress?: (progress: ChunkProgress) => void;
	network: ChunkNetwork;
	/** Threads for the chunk's h264 encoder: the slot's share of the cores; null: x264's own choice. */
	encoderThreads: number | null;
	/**
	 * Render the audio padded for seamless joins (see seamless-audio.ts), from the render's first
	 * frame; undefined: the chunk's own samples only.
	 */
	seamlessAudioFrom?: number;
};

/**
 * How a chunk's h264 is pre-encoded, as Remotion's ffmpegOverride. With PCM audio Remotion
 * pre-encodes into Matroska, whose millisecond timestamps would make every frame of the joined
 * video 33 or 34 ms long; MP4 keeps Remotion's 1/90000 timescale, which MPEG-TS shares: exact
 * frame times. x264 takes the slot's share of the cores (`threads`): left to itself it runs 1.5
 * threads a core in every slot, and the slots' encoders, side by side, spent a third more CPU on
 * the same frames (BENCHMARKS.md). The pre-stitcher's last argument is its output file.
 */
export const preEncodeChunk =
	(threads: number | null) =>
	({type, args}: {type: 'pre-stitcher' | 'stitcher'; args: string[]}): string[] =>
		type === 'pre-stitcher' ? [...args.slice(0, -1), ...(threads === null ? [] : ['-threads', String(threads)]), '-f', 'mp4', ...args.slice(-1)] : args;

/**
 * Renders one frame range in the form combineChunks() joins: the video in the codec's chunk form
 * (h264 as MPEG-TS, which joins without re-encoding, where mp4 chunks would silently lose all but
 * the first) and the audio as PCM beside it, joined and encoded once at the stitch. Audio is
 * written even when the frames are silent, so every output has an audio track of full length.
 */
export const renderChunk = async (options: RenderChunkOptions): Promise<RenderedChunk> => {
	const {chunk, codec, options: render} = options;
	const spec = CODECS[codec];
	const names = chunkFileNames(chunk.index, codec, render.muted ?? false);
	const videoFile = names.video === null ? null : path.join(options.outDir, names.video);
	const audioFile = names.audio === null ? null : path.join(options.outDir, names.audio);

	// An endless loop in user code never lets the frame finish: the chunk's deadline stops it.
	const deadline = AbortSignal.timeout(options.limits.chunkMs);
	// A browser past its memory limit is stopped before it takes the machine down with it.
	const memory = new AbortController();
	let memoryUsed = 0;
	const memoryWatch =
		options.limits.memoryBytes === null
			? null
			: watchBrowserMemory(options.browser, options.limits.memoryBytes, (bytes) => {
					memoryUsed = bytes;
					memory.abort();
				});
	const signal = AbortSignal.any([deadline, memory.signal, ...(options.signal ? [options.signal] : [])]);
	const {cancelSignal, cancel} = makeCancelSignal();
	const onAbort = () => cancel();
	signal.addEventListener('abort', onAbort, {once: true});
	let framesRendered = 0;
	let network: ChunkNetworkWatch | null = null;
	try {
		signal.throwIfAborted();
		network = await watchChunkNetwork(options.network);
		await renderMedia({
			...network.renderMediaOptions,
			serveUrl: options.serveUrl,
			composition: options.composition,
			inputProps: options.inputProps,
			// h264 written to a .ts file: MPEG-TS that joins without re-encoding, and unlike the
			// 'h264-ts' codec, Remotion encodes while it renders (parallel encoding). Audio codecs
			// render their chunk as PCM only.
			codec: spec.chunkVideo?.codec ?? 'wav',
			ffmpegOverride: codec === 'h264' ? preEncodeChunk(options.encoderThreads) : undefined,
			// PCM, joined and encoded once at the stitch. Padded for seamless joins only for the live
			// stream of a render that may play audio: Remotion then evaluates 2-3 extra frames on
			// each side for their audio alone.
			audioCodec: 'pcm-16',
			separateAudioTo: videoFile === null ? undefined : (audioFile ?? undefined),
			forSeamlessAacConcatenation: options.seamlessAudioFrom !== undefined && audioFile !== null,
			compositionStart: options.seamlessAudioFrom,
			enforceAudioTrack: audioFile !== null,
			muted: audioFile === null,
			crf: render.crf,
			imageFormat: render.imageFormat,
			jpegQuality: render.jpegQuality,
			scale: render.scale,
			pixelFormat: render.pixelFormat,
			proResProfile: render.proResProfile,
			x264Preset: render.x264Preset,
			colorSpace: render.colorSpace,
			videoBitrate: render.videoBitrate,
			envVariables: render.envVariables,
			chromiumOptions: render.chromiumOptions,
			everyNthFrame: render.everyNthFrame,
			frameRange: chunk.frameRange,
			outputLocation: videoFile ?? audioFile!,
			puppeteerInstance: options.browser,
			binariesDirectory: compositorDirectory(),
			// Parallelism comes from many slots, each rendering its own chunk on one tab.
			concurrency: 1,
			cancelSignal,
			// A render may ask for less time per frame than the farm allows, not more.
			timeoutInMilliseconds: Math.min(render.timeoutInMilliseconds ?? options.limits.frameMs, options.limits.frameMs),
			overwrite: true,
			logLevel: 'error',
			onProgress: ({renderedFrames, encodedFrames}) => {
				framesRendered = Math.min(renderedFrames, framesInChunk(chunk));
				options.onProgress?.({renderedFrames: framesRendered, encodedFrames: Math.min(encodedFrames, framesInChunk(chunk))});
			},
		});
		return {videoFile, audioFile};
	} catch (err) {
		const aborted = options.signal?.aborted ?? false;
		const error =
			memory.signal.aborted && !aborted
				? memoryLimitError(options, framesRendered, memoryUsed)
				: deadline.aborted && !aborted
					? chunkTimeoutError(options, framesRendered)
					: toChunkError(err, {chunk, attempt: options.attempt, aborted, framesRendered});
		throw withBlockedRequests(error, network?.blocked() ?? []);
	} finally {
		memoryWatch?.stop();
		network?.stop();
		signal.removeEventListener('abort', onAbort);
	}
};

const chunkTimeoutError = ({chunk, limits, attempt}: RenderChunkOptions, framesRendered: number): ChunkError =>
	new ChunkError({
		message: `The page stopped responding: chunk ${chunk.index} did not finish within ${limits.chunkMs / 1000}s (FRAMEFARM_CHUNK_TIMEOUT_MS). Is there an endless loop in the component?`,
		name: 'ChunkTimeoutError',
		stack: undefined,
		chunk: chunk.index,
		// Frames render in order on one tab: the one after the last finished is the one that hung.
		frame: chunk.frameRange[0] + framesRendered,
		attempt,
		cancelled: false,
	});

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const memoryLimitError = ({chunk, limits, attempt}: RenderChunkOptions, framesRendered: number, used: number): ChunkError =>
	new ChunkError({
		message: `The browser used ${megabytes(used)}, more than the ${megabytes(limits.memoryBytes ?? 0)} it may (FRAMEFARM_BROWSER_MEMORY_MB): chunk ${chunk.index} was stopped and its browser replaced`,
		name: 'MemoryLimitError',
		stack: undefined,
		chunk: chunk.index,
		frame: chunk.frameRange[0] + framesRendered,
		attempt,
		cancelled: false,
	});

// A failure that follows blocked requests most likely comes from them: the message says which.
const withBlockedRequests = (error: ChunkError, blocked: Array<[string, string]>): ChunkError => {
	if (blocked.length === 0 || error.cancelled) {
		return error;
	}
	const list = blocked.map(([url, reason]) => `${url} (${reason})`).join('; ');
	return new ChunkError({
		message: `${error.message} [the network policy blocked: ${list}]`,
		name: error.name,
		stack: error.stack,
		chunk: error.chunk,
		frame: error.frame,
		attempt: error.attempt,
		cancelled: error.cancelled,
	});
};
