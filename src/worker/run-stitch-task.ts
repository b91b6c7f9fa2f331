import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Backend} from '../backend/backend.js';
import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {contentDispositionOf} from '../render/content-disposition-of.js';
import {renderedFrameRange} from '../render/rendered-frames.js';
import {cutToOwnSamples} from '../render/seamless-audio.js';
import {chunkAudioSpan, hasLiveStream} from '../live/live-stream.js';
import {stitchChunks} from '../render/stitch-chunks.js';
import {contentTypeOf} from '../storage/content-type-of.js';
import type {Storage} from '../storage/storage.js';
import type {WorkerMetrics} from '../metrics/worker-metrics.js';
import {createThrottle} from './create-throttle.js';
import {WorkerStopping} from './worker-stopping.js';
import {chunkKeys, chunksFolder, outputKey} from './render-keys.js';

/** Fetches a render's chunks, joins them (without re-encoding the video where the codec allows), stores the output and removes the chunks. */
export const runStitchTask = async ({
	render,
	chunks,
	backend,
	storage,
	signal,
	handBack,
	metrics,
}: {
	render: RenderRecord;
	chunks: ChunkRecord[];
	backend: Backend;
	storage: Storage;
	signal: AbortSignal;
	/** Gives the task back to the queue (the worker is stopping). */
	handBack: () => Promise<void>;
	metrics: Pick<WorkerMetrics, 'stitched'>;
}): Promise<void> => {
	const startedAt = Date.now();
	const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'framefarm-stitch-'));
	const progress = createThrottle(250, (frames: number) => backend.reportStitchProgress(render.id, frames).catch(() => undefined));
	try {
		const {job} = render;
		const local = await Promise.all(
			chunks.map(async (chunk) => {
				const keys = chunkKeys(render.id, chunk.index, job);
				const fetch = async (key: string | null) => {
					if (key === null) {
						return null;
					}
					const file = path.join(workDir, path.basename(key));
					await storage.downloadFile(key, file);
					return file;
				};
				const [videoFile, audioFile] = await Promise.all([fetch(keys.video), fetch(keys.audio)]);
				// A render with a live stream had its chunks' audio padded for seamless segments.
				if (audioFile !== null && hasLiveStream(job)) {
					cutToOwnSamples(audioFile, chunkAudioSpan(job, chunk), chunk.index);
				}
				return {videoFile, audioFile};
			}),
		);
		const outFile = path.join(workDir, job.outName);
		await stitchChunks({
			chunks: local,
			outFile,
			codec: job.codec,
			options: job.options,
			fps: job.composition.fps,
			durationInFrames: job.composition.durationInFrames,
			frameRange: renderedFrameRange(job),
			everyNthFrame: job.options.everyNthFrame ?? 1,
			signal,
			onProgress: progress.push,
		});
		progress.flush();
		signal.throwIfAborted();
		const key = outputKey(render.id, job.outName);
		const stored = await storage.putFile(key, outFile, contentTypeOf(job.outName), {contentDisposition: contentDispositionOf(job)});
		await backend.completeRender(render.id, {outKey: key, outSize: stored.size});
		metrics.stitched((Date.now() - startedAt) / 1000);
		await storage.deletePrefix(chunksFolder(render.id));
	} catch (err) {
		progress.cancel();
		if (signal.reason instanceof WorkerStopping) {
			await handBack();
			return;
		}
		const error = err instanceof Error ? err : new Error(String(err));
		await backend.failRender(render.id, {
			type: 'stitcher',
			message: signal.aborted ? 'cancelled' : `Stitching failed: ${error.message}`,
			name: error.name,
			stack: error.stack ?? '',
			frame: null,
			chunk: null,
			isFatal: true,
			attempt: 1,
			willRetry: false,
			totalAttempts: 1,
			explanation: null,
		});
	} finally {
		await fs.promises.rm(workDir, {recursive: true, force: true});
	}
};
