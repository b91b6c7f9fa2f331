import type {z} from 'zod';
import type {RenderRecord} from '../backend/render-record.js';
import {compileCode} from '../code/compile-code.js';
import {balancedFramesPerChunk} from '../render/plan-chunks.js';
import type {AppContext} from './app-context.js';
import {HttpError} from './http-error.js';
import {makeRenderId} from './make-render-id.js';
import type {submitBodySchema} from './schemas.js';
import {checkSubmitLimits} from './submit-limits.js';
import {checkWebhookTarget} from './check-webhook-target.js';

// A full queue drains at the pace of renders: a client is told to look again in a while.
const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

/**
 * Admits the request (the key's queued renders, the server's limits; its rate was counted by the
 * route: see submit-rate-limit.ts), compiles the code
 * (a compile error is the client's 400, and no render is created), then records the render as
 * queued. Both submit routes come through here.
 */
export const submitRender = async (
	context: AppContext,
	owner: string,
	body: z.output<typeof submitBodySchema>,
): Promise<{render: RenderRecord; queuePosition: number | null}> => {
	checkSubmitLimits(body, context.limits);
	const queued = await context.backend.countQueued(owner);
	if (queued >= context.limits.maxQueuedPerKey) {
		throw new HttpError(
			429,
			'too_many_queued',
			`This API key already has ${queued} renders waiting in the queue, the most allowed (FRAMEFARM_MAX_QUEUED_PER_KEY); submit again when some have started`,
			{'retry-after': String(QUEUE_FULL_RETRY_AFTER_SECONDS)},
		);
	}

	if (body.webhook !== null) {
		await checkWebhookTarget(body.webhook.url, context.allowedWebhookHosts);
	}

	const compiled = await compileCode(body.inputProps.code);
	const render = await context.backend.submitRender({
		id: makeRenderId(),
		owner,
		createdAt: context.now(),
		job: {
			durationInFrames: body.inputProps.durationInFrames,
			fps: body.inputProps.fps,
			width: body.width,
			height: body.height,
			framesPerChunk:
				body.framesPerChunk ??
				balancedFramesPerChunk({durationInFrames: body.inputProps.durationInFrames, maxFramesPerChunk: context.defaultFramesPerChunk, slots: context.renderSlots}),
			codec: body.codec,
			outName: body.outName,
			js: compiled.js,
			exportName: compiled.exportName,
			webhook: body.webhook,
		},
	});
	return {render, queuePosition: await context.backend.getQueuePosition(render.id)};
};
