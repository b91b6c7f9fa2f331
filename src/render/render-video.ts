import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createLocalBackend} from '../backend/local/create-local-backend.js';
import type {RenderRecord} from '../backend/render-record.js';
import {compileCode} from '../code/compile-code.js';
import {defaultSlots} from '../config/default-slots.js';
import {getRenderProgress, type RenderProgress} from '../progress/get-render-progress.js';
import {describeError} from '../progress/describe-error.js';
import {createLocalStorage} from '../storage/create-local-storage.js';
import {NO_FILE_URLS} from '../storage/file-url-signer.js';
import {startWorker} from '../worker/start-worker.js';
import {bundleSite} from './bundle-site.js';
import {ChunkError} from './chunk-error.js';
import {CODECS, type OutputCodec} from './codecs.js';
import {codeRenderTarget} from './dynamic-composition.js';
import {findBrowser} from './find-browser.js';
import {RenderFailedError} from './render-failed-error.js';
import type {RenderLimits} from './render-chunk.js';
import {balancedFramesPerChunk, DEFAULT_MAX_FRAMES_PER_CHUNK} from './plan-chunks.js';
import {renderInputSchema, type RenderInput} from './render-input.js';

export type RenderVideoOptions = RenderInput & {
	outFile: string;
	/** Default h264. */
	codec?: OutputCodec;
	/** FRAMEFARM_BROWSER_EXECUTABLE, or null to look for one (see findBrowser). */
	browserExecutable: string | null;
	cacheDir: string;
	/** Worker slots, each with its own warm browser; default one per core (see defaultSlots). */
	concurrency?: number;
	/** Chunk size when framesPerChunk is not given: balanced over the slots, at most this; default 150. */
	maxFramesPerChunk?: number;
	/** Retries of a failed chunk before the render fails; default 1. */
	chunkRetries?: number;
	/** How long a frame, a chunk and the render may take, and the browser's memory; default 30 s, 10 min, a day, no limit. */
	limits?: RenderLimits;
	/** Origins the rendered page may fetch besides the bundle (FRAMEFARM_ALLOWED_ORIGINS); default none. */
	allowedOrigins?: readonly string[];
	signal?: AbortSignal;
	/** Called once the code compiled, while the site is bundled (only slow the first time). */
	onBundling?: () => void;
	/** The render's progress object, as the service reports it. */
	onProgress?: (progress: RenderProgress) => void;
};

export type ChunkTiming = {chunk: number; frameRange: [number, number]; startedAt: number; finishedAt: number; attempt: number};

export type RenderVideoResult = {
	outFile: string;
	sizeInBytes: number;
	timeInMilliseconds: number;
	chunks: ChunkTiming[];
};

const DEFAULT_LIMITS: RenderLimits = {frameMs: 30_000, chunkMs: 600_000, renderMs: 24 * 3_600_000, memoryBytes: null};
const POLL_INTERVAL_MS = 100;
// No money changes hands on your own machine; the estimate is still shown, at Lambda's prices.
const PRICING = {pricePerGbSecond: 0.0000166667, memoryGbPerWorker: 2, pricePerInvocation: 0.0000002};

const failureOf = (render: RenderRecord): RenderFailedError => {
	const fatal = render.errors.find((error) => error.isFatal) ?? render.errors.at(-1);
	const cause = fatal
		? new ChunkError({...fatal, chunk: fatal.chunk ?? -1, stack: fatal.stack, cancelled: render.status === 'cancelled'})
		: new Error(render.failure ?? 'The render failed');
	return new RenderFailedError(render.failure ?? (fatal ? describeError(fatal) : 'The render failed'), cause);
};

/**
 * Renders TSX to a video (an MP4 unless `codec` says otherwise) in this process, on the same path as the service: the embedded backend
 * (in memory), a temporary bucket and worker slots with warm browsers. Code that does not compile
 * fails before anything else starts.
 */
export const renderVideo = async (options: RenderVideoOptions): Promise<RenderVideoResult> => {
	const startedAt = Date.now();
	const input = renderInputSchema.parse(options);
	const compiled = await compileCode(input.code);
	options.onBundling?.();
	const siteDir = await bundleSite({cacheDir: options.cacheDir});
	const browser = await findBrowser(options.browserExecutable);
	options.signal?.throwIfAborted();

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-render-'));
	const backend = createLocalBackend({file: ':memory:', maxRenders: 1, chunkRetries: options.chunkRetries ?? 1});
	const storage = createLocalStorage({root: path.join(workDir, 'bucket'), bucketName: 'local', fileUrl: NO_FILE_URLS});
	const slotsWanted = Math.max(1, options.concurrency ?? defaultSlots());
	const framesPerChunk =
		input.framesPerChunk ?? balancedFramesPerChunk({durationInFrames: input.durationInFrames, maxFramesPerChunk: options.maxFramesPerChunk ?? DEFAULT_MAX_FRAMES_PER_CHUNK, slots: slotsWanted});
	const slots = Math.min(slotsWanted, Math.ceil(input.durationInFrames / framesPerChunk));
	// Nobody watches a render of the command line while it renders: no live segments.
	const worker = await startWorker({backend, storage, siteDir, browser, slots, limits: options.limits ?? DEFAULT_LIMITS, allowedOrigins: options.allowedOrigins ?? [], liveStream: false});
	const id = crypto.randomBytes(6).toString('hex');
	const cancel = () => void backend.cancelRender(id);
	options.signal?.addEventListener('abort', cancel, {once: true});

	try {
		await backend.submitRender({
			id,
			owner: 'cli',
			createdAt: startedAt,
			job: {
				...codeRenderTarget({js: compiled.js, exportName: compiled.exportName, durationInFrames: input.durationInFrames, fps: input.fps, width: input.width, height: input.height}),
				framesPerChunk,
				codec: options.codec ?? 'h264',
				options: {},
				outName: `out.${CODECS[options.codec ?? 'h264'].extension}`,
				webhook: null,
			},
		});
		for (;;) {
			const render = (await backend.getRender(id))!;
			const chunks = await backend.getChunks(id);
			options.onProgress?.(
				getRenderProgress({render, chunks, queuePosition: null, now: Date.now(), outputUrl: render.outKey, liveUrl: null, bucket: 'local', pricing: PRICING, renderTimeoutMs: (options.limits ?? DEFAULT_LIMITS).renderMs}),
			);
			if (render.status === 'done' && render.outKey !== null) {
				fs.mkdirSync(path.dirname(path.resolve(options.outFile)), {recursive: true});
				await storage.downloadFile(render.outKey, options.outFile);
				return {
					outFile: options.outFile,
					sizeInBytes: fs.statSync(options.outFile).size,
					timeInMilliseconds: Date.now() - startedAt,
					chunks: chunks.map((chunk) => ({
						chunk: chunk.index,
						frameRange: chunk.frameRange,
						startedAt: chunk.startedAt ?? 0,
						finishedAt: chunk.finishedAt ?? 0,
						attempt: chunk.attempt,
					})),
				};
			}
			if (render.status === 'cancelled' && options.signal?.aborted) {
				throw options.signal.reason;
			}
			if (render.status === 'error' || render.status === 'cancelled') {
				throw failureOf(render);
			}
			await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
		}
	} finally {
		options.signal?.removeEventListener('abort', cancel);
		await worker.stop();
		await backend.close();
		fs.rmSync(workDir, {recursive: true, force: true});
	}
};
