import {VERSION} from 'remotion/version';
import {renderedFrameCount, renderedFrameRange} from '../render/rendered-frames.js';
import {outputDimensions} from '../render/output-dimensions.js';
import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {estimateCost, type Pricing} from './estimate-cost.js';
import type {RenderProgress} from './progress-schemas.js';
import {livePlaysThroughAt} from '../live/plays-through-at.js';

export type {RenderProgress} from './progress-schemas.js';

// Remotion Lambda's weights: each phase contributes its share of 0..1.
const PHASE_WEIGHTS = {evaluating: 0.1, invoking: 0.1, rendering: 0.6, encoding: 0.1, combining: 0.1} as const;
type Phase = keyof typeof PHASE_WEIGHTS;

const MOST_EXPENSIVE_COUNT = 5;

export type GetRenderProgressInput = {
	render: RenderRecord;
	chunks: ChunkRecord[];
	queuePosition: number | null;
	now: number;
	/** The output's URL, once there is one. */
	outputUrl: string | null;
	/** The render's live playlist (header-free), or null when it has none. */
	liveUrl: string | null;
	bucket: string;
	pricing: Pricing;
	/** How long a render may run (FRAMEFARM_RENDER_TIMEOUT_MS): Lambda's timeoutTimestamp. */
	renderTimeoutMs: number;
};

// What Lambda reports about its functions, for a farm that has none; the README lists them.
const FUNCTION_NAME = 'framefarm';
const REGION = 'us-east-1';

/**
 * Computes the whole progress object from stored state. Pure: every input it reads only grows
 * (frames counted as the best of all attempts, chunks started, frames stitched), so the
 * overall progress it returns never decreases from one poll to the next.
 */
export const getRenderProgress = ({render, chunks, queuePosition, now, outputUrl, liveUrl, bucket, pricing, renderTimeoutMs}: GetRenderProgressInput): RenderProgress => {
	const totalFrames = renderedFrameCount(render.job);
	const done = render.status === 'done';
	const sum = (pick: (chunk: ChunkRecord) => number) => chunks.reduce((total, chunk) => total + pick(chunk), 0);
	const framesRendered = sum((chunk) => chunk.renderedFrames);
	const framesEncoded = sum((chunk) => chunk.encodedFrames);
	const chunksDone = chunks.filter((chunk) => chunk.status === 'done').length;
	const chunksStarted = chunks.filter((chunk) => chunk.attempt > 0).length;
	const allChunksDone = chunks.length > 0 && chunksDone === chunks.length;
	const combinedFrames = done ? totalFrames : render.framesStitched;

	const shares: {[phase in Phase]: number} = {
		evaluating: render.startedAt === null ? 0 : 1,
		invoking: render.totalChunks === 0 ? 0 : chunksStarted / render.totalChunks,
		rendering: framesRendered / totalFrames,
		encoding: framesEncoded / totalFrames,
		combining: combinedFrames / totalFrames,
	};
	const weighted = (Object.keys(PHASE_WEIGHTS) as Phase[]).reduce((total, phase) => total + PHASE_WEIGHTS[phase] * shares[phase], 0);
	const overallProgress = done ? 1 : Math.min(0.999, Math.round(weighted * 1000) / 1000);

	// Worker time: finished attempts, plus the running ones up to now.
	const busyMs = sum((chunk) => chunk.busyMs + (chunk.status === 'rendering' && chunk.startedAt !== null ? Math.max(0, now - chunk.startedAt) : 0));
	const stitcherInvoked = render.status === 'stitching' || done ? 1 : 0;

	const {job} = render;
	const startedAt = render.startedAt ?? render.createdAt;
	const chunksFinishedAt = allChunksDone ? Math.max(...chunks.map((chunk) => chunk.finishedAt ?? 0)) : null;
	const timeToFinishChunks = chunksFinishedAt === null ? null : chunksFinishedAt - startedAt;
	const timeToCombine = done && chunksFinishedAt !== null && render.finishedAt !== null ? render.finishedAt - chunksFinishedAt : null;

	return {
		overallProgress,
		chunks: chunksDone,
		done,
		encodingStatus: allChunksDone ? {framesEncoded: combinedFrames, combinedFrames, timeToCombine} : null,
		costs: estimateCost({busyMs, invocations: chunksStarted + stitcherInvoked, pricing}),
		renderId: render.id,
		renderMetadata: {
			type: 'video',
			imageFormat: job.options.imageFormat ?? 'jpeg',
			muted: job.options.muted ?? false,
			frameRange: renderedFrameRange(job),
			everyNthFrame: job.options.everyNthFrame ?? 1,
			codec: job.codec,
			siteId: job.site.kind === 'deployed' ? job.site.name : 'framefarm-code',
			totalFrames,
			startedDate: render.createdAt,
			totalChunks: render.totalChunks,
			estimatedTotalLambdaInvokations: render.totalChunks + 1,
			estimatedRenderLambdaInvokations: render.totalChunks,
			compositionId: job.composition.id,
			audioCodec: job.options.audioCodec ?? null,
			// The props stay with the render; the render's id names them.
			inputProps: {type: 'bucket-url', hash: render.id, bucketName: bucket},
			framesPerLambda: job.framesPerChunk,
			memorySizeInMb: Math.round(pricing.memoryGbPerWorker * 1024),
			functionName: FUNCTION_NAME,
			rendererFunctionName: FUNCTION_NAME,
			lambdaVersion: VERSION,
			region: REGION,
			renderId: render.id,
			outName: job.outName,
			privacy: 'private',
			deleteAfter: null,
			numberOfGifLoops: job.options.numberOfGifLoops ?? null,
			audioBitrate: job.options.audioBitrate ?? null,
			downloadBehavior: job.options.downloadBehavior ?? {type: 'play-in-browser'},
			metadata: job.options.metadata ?? null,
			fps: job.composition.fps,
			// The output's, as in Lambda: the composition's times the scale.
			dimensions: outputDimensions(job),
			scale: job.options.scale ?? 1,
		},
		bucket,
		outBucket: bucket,
		outputFile: done ? outputUrl : null,
		outKey: done ? render.outKey : null,
		outputSizeInBytes: done ? render.outSize : null,
		timeToFinish: done && render.finishedAt !== null ? render.finishedAt - render.createdAt : null,
		errors: render.errors.map((error) => ({...error, tmpDir: null, s3Location: '' as const})),
		fatalErrorEncountered: render.status === 'error' || render.status === 'cancelled' || render.errors.some((error) => error.isFatal),
		currentTime: now,
		renderSize: render.bytesStored,
		lambdasInvoked: chunksStarted,
		framesRendered,
		framesEncoded,
		combinedFrames,
		mostExpensiveFrameRanges: done
			? chunks
					.map((chunk) => ({
						chunk: chunk.index,
						timeInMilliseconds: (chunk.finishedAt ?? 0) - (chunk.startedAt ?? 0),
						frameRange: chunk.frameRange,
					}))
					.sort((a, b) => b.timeInMilliseconds - a.timeInMilliseconds)
					.slice(0, MOST_EXPENSIVE_COUNT)
			: null,
		queuePosition,
		liveUrl,
		livePlaysThroughAt: liveUrl === null || render.status === 'error' || render.status === 'cancelled' ? null : livePlaysThroughAt({job, chunks, now}),
		type: 'success',
		cleanup: null,
		timeToFinishChunks,
		timeToRenderFrames: timeToFinishChunks,
		timeToEncode: timeToFinishChunks,
		timeToCombine,
		retriesInfo: chunks.filter((chunk) => chunk.attempt > 1).map((chunk) => ({chunk: chunk.index, attempt: chunk.attempt, time: chunk.startedAt ?? 0})),
		estimatedBillingDurationInMilliseconds: Math.round(busyMs),
		timeoutTimestamp: startedAt + renderTimeoutMs,
		functionLaunched: startedAt,
		serveUrlOpened: render.startedAt,
		// Resolved when the render was submitted.
		compositionValidated: render.createdAt,
		artifacts: [],
	};
};
