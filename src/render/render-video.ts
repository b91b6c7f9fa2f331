import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {compileCode} from '../code/compile-code.js';
import type {DynamicCodeProps} from '../code/dynamic-code-props.js';
import {createBrowserSlot, type BrowserSlot} from './browser-slot.js';
import {bundleSite} from './bundle-site.js';
import {framesInChunk, type ChunkPlan} from './chunk-plan.js';
import {ChunkError} from './chunk-error.js';
import {findBrowser} from './find-browser.js';
import {planChunks} from './plan-chunks.js';
import {describeChunkFailure, RenderFailedError} from './render-failed-error.js';
import {renderChunk, type RenderedChunk} from './render-chunk.js';
import {renderInputSchema, type RenderInput} from './render-input.js';
import {stitchChunks} from './stitch-chunks.js';

export type RenderVideoOptions = RenderInput & {
	outFile: string;
	/** FRAMEFARM_BROWSER_EXECUTABLE, or null to look for one (see findBrowser). */
	browserExecutable: string | null;
	cacheDir: string;
	/** Worker slots, each with its own warm browser; default one per core. */
	concurrency?: number;
	/** Retries of a failed chunk before the render fails; default 1. */
	chunkRetries?: number;
	signal?: AbortSignal;
	onProgress?: (progress: RenderVideoProgress) => void;
};

export type RenderVideoProgress = {
	phase: 'bundling' | 'rendering' | 'stitching' | 'done';
	totalFrames: number;
	framesRendered: number;
	framesEncoded: number;
	totalChunks: number;
	chunksDone: number;
	framesStitched: number;
	/** Failed attempts so far that will be retried. */
	retries: number;
};

export type ChunkTiming = {chunk: number; frameRange: [number, number]; startedAt: number; finishedAt: number; attempt: number};

export type RenderVideoResult = {
	outFile: string;
	sizeInBytes: number;
	timeInMilliseconds: number;
	chunks: ChunkTiming[];
};

const DEFAULT_FRAMES_PER_CHUNK = 60;

/**
 * Renders TSX to an MP4 in this process: compile, plan chunks, render them in parallel on warm
 * browsers (retrying a failed chunk), stitch without re-encoding. The CLI's `render` without a
 * server; the service's workers run the same steps through a queue.
 */
export const renderVideo = async (options: RenderVideoOptions): Promise<RenderVideoResult> => {
	const startedAt = Date.now();
	const input = renderInputSchema.parse(options);
	const framesPerChunk = input.framesPerChunk ?? DEFAULT_FRAMES_PER_CHUNK;
	const chunkRetries = options.chunkRetries ?? 1;
	const compiled = await compileCode(input.code);
	const props: DynamicCodeProps = {
		js: compiled.js,
		exportName: compiled.exportName,
		durationInFrames: input.durationInFrames,
		fps: input.fps,
		width: input.width,
		height: input.height,
	};
	const plan = planChunks({durationInFrames: input.durationInFrames, framesPerChunk});
	const progress: RenderVideoProgress = {
		phase: 'bundling',
		totalFrames: input.durationInFrames,
		framesRendered: 0,
		framesEncoded: 0,
		totalChunks: plan.length,
		chunksDone: 0,
		framesStitched: 0,
		retries: 0,
	};
	const report = () => options.onProgress?.({...progress});
	report();

	const serveUrl = await bundleSite({cacheDir: options.cacheDir});
	const browser = await findBrowser(options.browserExecutable);
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-render-'));
	const slotCount = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), plan.length));
	const slots = Array.from({length: slotCount}, (_, index) => createBrowserSlot(index, browser));
	// One failed chunk stops the others; the caller's signal stops everything.
	const stop = new AbortController();
	const onCallerAbort = () => stop.abort(options.signal?.reason);
	options.signal?.addEventListener('abort', onCallerAbort, {once: true});

	try {
		progress.phase = 'rendering';
		report();
		const perChunk = new Map<number, {rendered: number; encoded: number}>();
		const updateFrames = () => {
			progress.framesRendered = [...perChunk.values()].reduce((sum, chunk) => sum + chunk.rendered, 0);
			progress.framesEncoded = [...perChunk.values()].reduce((sum, chunk) => sum + chunk.encoded, 0);
			report();
		};
		const rendered = new Map<number, RenderedChunk>();
		const timings: ChunkTiming[] = [];
		const queue: {chunk: ChunkPlan; attempt: number}[] = plan.map((chunk) => ({chunk, attempt: 1}));

		const runSlot = async (slot: BrowserSlot) => {
			for (let task = queue.shift(); task && !stop.signal.aborted; task = queue.shift()) {
				const {chunk, attempt} = task;
				const chunkStartedAt = Date.now();
				try {
					const result = await renderChunk({
						browser: await slot.browser(),
						serveUrl,
						props,
						chunk,
						framesPerChunk,
						outDir: workDir,
						attempt,
						signal: stop.signal,
						onProgress: ({renderedFrames, encodedFrames}) => {
							perChunk.set(chunk.index, {rendered: renderedFrames, encoded: encodedFrames});
							updateFrames();
						},
					});
					rendered.set(chunk.index, result);
					timings.push({chunk: chunk.index, frameRange: chunk.frameRange, startedAt: chunkStartedAt, finishedAt: Date.now(), attempt});
					perChunk.set(chunk.index, {rendered: framesInChunk(chunk), encoded: framesInChunk(chunk)});
					progress.chunksDone++;
					updateFrames();
				} catch (err) {
					await slot.discard();
					perChunk.delete(chunk.index);
					updateFrames();
					const error = err instanceof ChunkError ? err : null;
					if (error && !error.cancelled && attempt <= chunkRetries) {
						progress.retries++;
						queue.push({chunk, attempt: attempt + 1});
						continue;
					}
					if (!stop.signal.aborted) {
						stop.abort(
							error
								? new RenderFailedError(describeChunkFailure(error, chunk.frameRange, chunkRetries + 1), error)
								: err,
						);
					}
				}
			}
		};

		await Promise.all(slots.map(runSlot));
		if (stop.signal.aborted) {
			throw stop.signal.reason;
		}

		progress.phase = 'stitching';
		report();
		fs.mkdirSync(path.dirname(path.resolve(options.outFile)), {recursive: true});
		await stitchChunks({
			chunks: plan.map((chunk) => rendered.get(chunk.index) as RenderedChunk),
			outFile: options.outFile,
			fps: input.fps,
			framesPerChunk,
			durationInFrames: input.durationInFrames,
			signal: stop.signal,
			onProgress: (frames) => {
				progress.framesStitched = frames;
				report();
			},
		});
		progress.phase = 'done';
		progress.framesStitched = input.durationInFrames;
		report();
		return {
			outFile: options.outFile,
			sizeInBytes: fs.statSync(options.outFile).size,
			timeInMilliseconds: Date.now() - startedAt,
			chunks: timings.sort((a, b) => a.chunk - b.chunk),
		};
	} finally {
		options.signal?.removeEventListener('abort', onCallerAbort);
		await Promise.all(slots.map((slot) => slot.close()));
		fs.rmSync(workDir, {recursive: true, force: true});
	}
};
