import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Backend} from '../backend/backend.js';
import type {ChunkRecord, RenderJob, RenderRecord} from '../backend/render-record.js';
import {renderTimeoutEntry} from '../backend/render-failures.js';
import type {BrowserSlot} from '../render/browser-slot.js';
import {toChunkError} from '../render/chunk-error.js';
import {SiteUnavailableError} from '../sites/site-cache.js';
import type {NetworkPolicy} from '../render/network/network-policy.js';
import {renderChunk, type RenderLimits} from '../render/render-chunk.js';
import {videoConfigOf} from '../render/video-config-of.js';
import type {Storage} from '../storage/storage.js';
import {createThrottle} from './create-throttle.js';
import type {WorkerMetrics} from '../metrics/worker-metrics.js';
import type {FirstChunkGate} from './first-chunk-gate.js';
import {WorkerStopping} from './worker-stopping.js';
import {chunkAudioSpan, hasLiveStream} from '../live/live-stream.js';
import {renderedFrameRange} from '../render/rendered-frames.js';
import {makeLiveSegment} from '../render/live-segment.js';
import {mayPlayAudio} from '../render/may-play-audio.js';
import {chunkKeys, liveSegmentKey} from './render-keys.js';
import {blockedRequestReporter} from './report-blocked-requests.js';

const PROGRESS_INTERVAL_MS = 250;

/** Renders one chunk on the slot's warm browser and puts its files in the bucket. */
export const runChunkTask = async ({
	render,
	chunk,
	slot,
	serveUrlOf,
	limits,
	policy,
	backend,
	storage,
	signal,
	handBack,
	firstChunk,
	metrics,
	liveStream,
	encoderThreads,
}: {
	render: RenderRecord;
	chunk: ChunkRecord;
	slot: BrowserSlot;
	/** Where the slot's page loads the job's site (a deployed site is fetched into the cache first). */
	serveUrlOf: (job: RenderJob) => Promise<string>;
	limits: RenderLimits;
	policy: NetworkPolicy;
	backend: Backend;
	storage: Storage;
	signal: AbortSignal;
	/** Gives the task back to the queue (the worker is stopping). */
	handBack: () => Promise<void>;
	firstChunk: FirstChunkGate;
	metrics: Pick<WorkerMetrics, 'chunkSetUp' | 'requestBlocked'>;
	/** Whether to make the chunk's segment of the render's live stream too. */
	liveStream: boolean;
	/** Threads for the chunk's encoder: the slot's share of the worker's cores. */
	encoderThreads: number;
}): Promise<void> => {
	// Entered before anything else is awaited: the slots that took the render's next chunks look at once.
	const gate = await firstChunk.enter(render.id, chunk.index, signal);
	const startedAt = Date.now();
	const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'framefarm-chunk-'));
	const progress = createThrottle(PROGRESS_INTERVAL_MS, (p: {renderedFrames: number; encodedFrames: number}) =>
		backend.reportChunkProgress(render.id, chunk.index, p).catch(() => undefined),
	);
	// The whole render has a deadline too; the chunk that reaches it fails the render.
	const renderLeftMs = (render.startedAt ?? startedAt) + limits.renderMs - startedAt;
	const renderTimeout = AbortSignal.timeout(Math.max(0, renderLeftMs));
	let setUp = false;
	try {
		const {job} = render;
		const live = liveStream && hasLiveStream(job);
		const serveUrl = await serveUrlOf(job);
		// The render's next chunk on this slot goes on the tab this one leaves set up.
		const files = await slot.withKeptPage(render.id, (browser) =>
			renderChunk({
				browser,
				serveUrl,
				composition: videoConfigOf(job),
				inputProps: job.inputProps,
				codec: job.codec,
				options: job.options,
				chunk: {index: chunk.index, frameRange: chunk.frameRange},
				outDir: workDir,
				attempt: chunk.attempt,
				limits,
				signal: AbortSignal.any([signal, renderTimeout]),
				onProgress: (p) => {
					if (p.renderedFrames > 0 && !setUp) {
						setUp = true;
						metrics.chunkSetUp((Date.now() - startedAt) / 1000);
						gate.rendered();
					}
					progress.push(p);
				},
				encoderThreads,
				network: {policy, setPageNetwork: slot.setPageNetwork, onBlocked: blockedRequestReporter(backend, render, chunk, metrics.requestBlocked)},
				// Padded for the live segments' seamless joins; a render that plays no audio pads with silence instead.
				seamlessAudioFrom: live && mayPlayAudio(job) ? renderedFrameRange(job)[0] : undefined,
			}),
		);
		progress.flush();
		signal.throwIfAborted();
		const keys = chunkKeys(render.id, chunk.index, job);
		const uploads: Array<[string | null, string | null, string]> = [
			[keys.video, files.videoFile, 'application/octet-stream'],
			[keys.audio, files.audioFile, 'application/octet-stream'],
		];
		if (live && files.videoFile !== null) {
			const segment = path.join(workDir, 'live-segment.ts');
			// The live stream is a preview: a segment that cannot be made costs the viewer a gap, never the render.
			const made = await makeLiveSegment({
				videoFile: files.videoFile,
				audioFile: files.audioFile,
				outFile: segment,
				span: chunkAudioSpan(job, chunk),
				chunkIndex: chunk.index,
				signal,
			}).then(
				() => true,
				async (err: Error) => {
					signal.throwIfAborted();
					await backend.appendLog(render.id, `chunk ${chunk.index}: its live segment could not be made: ${err.message}`).catch(() => undefined);
					return false;
				},
			);
			if (made) {
				uploads.push([liveSegmentKey(render.id, chunk.index), segment, 'video/mp2t']);
			}
		}
		const stored = await Promise.all(uploads.flatMap(([key, file, type]) => (key === null || file === null ? [] : [storage.putFile(key, file, type)])));
		await backend.completeChunk(render.id, chunk.index, {
			busyMs: Date.now() - startedAt,
			bytes: stored.reduce((sum, object) => sum + object.size, 0),
		});
	} catch (err) {
		progress.cancel();
		if (signal.reason instanceof WorkerStopping) {
			await handBack();
			return;
		}
		// The browser may have crashed or hung: the slot's next chunk gets a fresh one.
		await slot.discard();
		if (renderTimeout.aborted && !signal.aborted) {
			await backend.failRender(render.id, renderTimeoutEntry(chunk, limits.renderMs));
		}
		const error = toChunkError(err, {chunk: {index: chunk.index, frameRange: chunk.frameRange}, attempt: chunk.attempt, aborted: signal.aborted});
		await backend.failChunk(render.id, chunk.index, {
			type: 'renderer',
			message: error.message,
			name: error.name,
			stack: error.stack ?? '',
			frame: error.frame,
			explanation: null,
			// Another attempt would find the site as missing or changed as this one did.
			unrecoverable: error.cancelled || err instanceof SiteUnavailableError,
			busyMs: Date.now() - startedAt,
		});
	} finally {
		gate.ended();
		await slot.cleanUp();
		await fs.promises.rm(workDir, {recursive: true, force: true});
	}
};
