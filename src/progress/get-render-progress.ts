import {renderedFrameCount} from '../render/rendered-frames.js';
import {outputDimensions} from '../render/output-dimensions.js';
import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {estimateCost, type Pricing} from './estimate-cost.js';
import type {RenderProgress} from './progress-schemas.js';

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
	bucket: string;
	pricing: Pricing;
};

/**
 * Computes the whole progress object from stored state. Pure: every input it reads only grows
 * (frames counted as the best of all attempts, chunks started, frames stitched), so the
 * overall progress it returns never decreases from one poll to the next.
 */
export const getRenderProgress = ({render, chunks, queuePosition, now, outputUrl, bucket, pricing}: GetRenderProgressInput): RenderProgress => {
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

	return {
		overallProgress,
		chunks: chunksDone,
		done,
		encodingStatus: allChunksDone ? {framesEncoded: combinedFrames} : null,
		costs: estimateCost({busyMs, invocations: chunksStarted + stitcherInvoked, pricing}),
		renderId: render.id,
		renderMetadata: {
			totalFrames,
			startedDate: render.createdAt,
			totalChunks: render.totalChunks,
			estimatedTotalLambdaInvokations: render.totalChunks + 1,
			estimatedRenderLambdaInvokations: render.totalChunks,
			compositionId: render.job.composition.id,
			codec: render.job.codec,
			framesPerLambda: render.job.framesPerChunk,
			fps: render.job.composition.fps,
			// The output's, as in Lambda: the composition's times the scale.
			dimensions: outputDimensions(render.job),
			type: 'video',
		},
		bucket,
		outBucket: bucket,
		outputFile: done ? outputUrl : null,
		outKey: done ? render.outKey : null,
		outputSizeInBytes: done ? render.outSize : null,
		timeToFinish: done && render.finishedAt !== null ? render.finishedAt - render.createdAt : null,
		errors: render.errors,
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
	};
};
