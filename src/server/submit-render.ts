import type {z} from 'zod';
import type {RenderJob, RenderRecord} from '../backend/render-record.js';
import {CODECS} from '../render/codecs.js';
import {hasLiveStream} from '../live/live-stream.js';
import {balancedFramesPerChunk} from '../render/plan-chunks.js';
import {chunkSizesForWatching} from '../render/plan-for-watching.js';
import {outputDimensions} from '../render/output-dimensions.js';
import {pickRenderOptions} from '../render/render-options.js';
import {renderedRangeLength} from '../render/rendered-frames.js';
import {frameRangeOption} from './frame-range-option.js';
import type {AppContext} from './app-context.js';
import {badRequest, HttpError} from './http-error.js';
import {makeRenderId} from './make-render-id.js';
import type {submitBodySchema} from './schemas.js';
import {checkCompositionLimits} from './submit-limits.js';
import {checkWebhookTarget} from './check-webhook-target.js';
import {settleTarget} from './settle-target.js';

// A full queue drains at the pace of renders: a client is told to look again in a while.
const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

type SubmitBody = z.output<typeof submitBodySchema>;

/** Chunks of a whole number of nth frames, so each starts on a frame the output keeps. */
const alignedToNthFrame = (framesPerChunk: number, everyNthFrame: number) => Math.ceil(framesPerChunk / everyNthFrame) * everyNthFrame;

/**
 * How the render is cut into chunks: as the client says (Remotion Lambda's framesPerLambda, the
 * same size for every chunk), or else planned by the farm: for watching when the render has a
 * live stream (a short first chunk; see plan-for-watching.ts), otherwise balanced over the slots.
 */
const chunking = (
	context: AppContext,
	body: SubmitBody,
	job: Pick<RenderJob, 'composition' | 'options' | 'codec'>,
): Pick<RenderJob, 'framesPerChunk' | 'chunkFrames'> => {
	const everyNthFrame = job.options.everyNthFrame ?? 1;
	const asked = body.framesPerChunk ?? body.framesPerLambda;
	if (asked !== undefined) {
		return {framesPerChunk: alignedToNthFrame(asked, everyNthFrame)};
	}
	const planning = {durationInFrames: renderedRangeLength(job), maxFramesPerChunk: context.defaultFramesPerChunk, ...(context.renderSlots ?? {slots: null})};
	const chunkFrames = context.chunkPlan === 'watch' && hasLiveStream(job) ? chunkSizesForWatching(planning) : null;
	return chunkFrames === null
		? {framesPerChunk: alignedToNthFrame(balancedFramesPerChunk(planning), everyNthFrame)}
		: {framesPerChunk: Math.max(...chunkFrames), chunkFrames};
};

/**
 * Admits the request (the key's queued renders, the server's limits; its rate was counted by the
 * route: see submit-rate-limit.ts), settles what it renders (compiles the code, or resolves the
 * site's composition) and records the render as queued. Both submit routes come through here;
 * nothing is queued for a request that fails any of it.
 */
export const submitRender = async (context: AppContext, owner: string, body: SubmitBody): Promise<{render: RenderRecord; queuePosition: number | null}> => {
	await checkQueueRoom(context, owner);
	if (body.webhook !== null) {
		await checkWebhookTarget(body.webhook.url, context.allowedWebhookHosts);
	}

	const settled = await settleTarget(context, owner, body);
	// Lambda's force* options replace what the composition says.
	const composition = {
		...settled.composition,
		width: body.forceWidth ?? settled.composition.width,
		height: body.forceHeight ?? settled.composition.height,
		fps: body.forceFps ?? settled.composition.fps,
		durationInFrames: body.forceDurationInFrames ?? settled.composition.durationInFrames,
	};
	const options = {...pickRenderOptions(body), ...frameRangeOption(body.frameRange, composition.durationInFrames)};
	const output = outputDimensions({composition, options});
	if ((body.codec === 'h264' || body.codec === 'h265') && (output.width % 2 !== 0 || output.height % 2 !== 0)) {
		throw badRequest(`${options.scale === undefined ? 'The composition' : 'scale'} makes the output ${output.width}x${output.height}; ${body.codec} needs even dimensions`);
	}
	const limited = {...composition, ...output};
	checkCompositionLimits(limited, context.limits, (field) => `the output's ${field} (${limited[field]})`);
	return queueJob(context, owner, {
		...settled,
		composition,
		...chunking(context, body, {composition, options, codec: body.codec}),
		codec: body.codec,
		options,
		outName: body.outName ?? `out.${CODECS[body.codec].extension}`,
		webhook: body.webhook,
	});
};

/** Refuses a key whose queued renders reach the cap (429, with when to try again). */
const checkQueueRoom = async (context: AppContext, owner: string): Promise<void> => {
	const queued = await context.backend.countQueued(owner);
	if (queued >= context.limits.maxQueuedPerKey) {
		throw new HttpError(
			429,
			'too_many_queued',
			`This API key already has ${queued} renders waiting in the queue, the most allowed (FRAMEFARM_MAX_QUEUED_PER_KEY); submit again when some have started`,
			{'retry-after': String(QUEUE_FULL_RETRY_AFTER_SECONDS)},
		);
	}
};

const queueJob = async (context: AppContext, owner: string, job: RenderJob): Promise<{render: RenderRecord; queuePosition: number | null}> => {
	const render = await context.backend.submitRender({id: makeRenderId(), owner, createdAt: context.now(), job});
	const [queuePosition = null] = await context.backend.getQueuePositions([render.id]);
	return {render, queuePosition};
};

/**
 * Queues a render's job once more under a new id (the dashboard's Render again): the same
 * composition of the same site version, or the same compiled code, with the same options.
 */
export const renderAgain = async (context: AppContext, owner: string, previous: RenderRecord): Promise<{render: RenderRecord; queuePosition: number | null}> => {
	await checkQueueRoom(context, owner);
	return queueJob(context, owner, previous.job);
};
