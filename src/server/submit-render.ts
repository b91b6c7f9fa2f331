import type {z} from 'zod';
import type {RenderJob, RenderRecord} from '../backend/render-record.js';
import {compileCode} from '../code/compile-code.js';
import {codeRenderTarget} from '../render/dynamic-composition.js';
import {CODECS} from '../render/codecs.js';
import {balancedFramesPerChunk} from '../render/plan-chunks.js';
import {outputDimensions} from '../render/output-dimensions.js';
import {pickRenderOptions} from '../render/render-options.js';
import {CompositionError} from '../sites/resolve-composition.js';
import type {AppContext} from './app-context.js';
import {HttpError} from './http-error.js';
import {makeRenderId} from './make-render-id.js';
import {codeInputPropsSchema, type submitBodySchema} from './schemas.js';
import {checkCodeSize, checkCompositionLimits} from './submit-limits.js';
import {checkWebhookTarget} from './check-webhook-target.js';
import {siteNameOfServeUrl} from './site-name-of-serve-url.js';

// A full queue drains at the pace of renders: a client is told to look again in a while.
const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

type SubmitBody = z.output<typeof submitBodySchema>;
type RenderTarget = Pick<RenderJob, 'site' | 'composition' | 'inputProps'>;

/** A code render: the code compiled (a compile error is the client's 400), on the built-in site. */
const codeTarget = async (context: AppContext, body: SubmitBody): Promise<RenderTarget> => {
	const {code, durationInFrames, fps} = codeInputPropsSchema.parse(body.inputProps);
	const width = body.width ?? 1920;
	const height = body.height ?? 1080;
	checkCodeSize(code, context.limits);
	checkCompositionLimits({durationInFrames, fps, width, height}, context.limits, (field) => (field === 'width' || field === 'height' ? field : `inputProps.${field}`));
	const compiled = await compileCode(code);
	return codeRenderTarget({js: compiled.js, exportName: compiled.exportName, durationInFrames, fps, width, height});
};

/** A render of a deployed site's composition, resolved now (its calculateMetadata() included) for the inputProps. */
const siteTarget = async (context: AppContext, owner: string, body: SubmitBody): Promise<RenderTarget> => {
	const name = body.siteName ?? siteNameOfServeUrl(body.serveUrl!, context.publicUrl);
	const manifest = await context.sites.get(owner, name);
	if (manifest === null) {
		throw new HttpError(400, 'site_not_found', `${body.siteName === undefined ? 'serveUrl' : 'siteName'}: this key has no site "${name}"; deploy it with: npx framefarm sites create <entry-point> --site-name ${name}`);
	}
	const site = {kind: 'deployed' as const, owner, name, hash: manifest.hash};
	try {
		return {site, composition: await context.resolveComposition(site, body.composition!, body.inputProps), inputProps: body.inputProps};
	} catch (err) {
		if (err instanceof CompositionError) {
			throw new HttpError(400, 'invalid_composition', err.message);
		}
		throw err;
	}
};

/**
 * Admits the request (the key's queued renders, the server's limits; its rate was counted by the
 * route: see submit-rate-limit.ts), settles what it renders (compiles the code, or resolves the
 * site's composition) and records the render as queued. Both submit routes come through here;
 * nothing is queued for a request that fails any of it.
 */
export const submitRender = async (context: AppContext, owner: string, body: SubmitBody): Promise<{render: RenderRecord; queuePosition: number | null}> => {
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

	const settled = body.siteName !== undefined || body.serveUrl !== undefined ? await siteTarget(context, owner, body) : await codeTarget(context, body);
	// Lambda's force* options replace what the composition says.
	const composition = {
		...settled.composition,
		width: body.forceWidth ?? settled.composition.width,
		height: body.forceHeight ?? settled.composition.height,
		fps: body.forceFps ?? settled.composition.fps,
		durationInFrames: body.forceDurationInFrames ?? settled.composition.durationInFrames,
	};
	const options = pickRenderOptions(body);
	checkCompositionLimits({...composition, ...outputDimensions({composition, options})}, context.limits, (field) => `the output's ${field} (${field === 'width' || field === 'height' ? outputDimensions({composition, options})[field] : composition[field]})`);
	const render = await context.backend.submitRender({
		id: makeRenderId(),
		owner,
		createdAt: context.now(),
		job: {
			...settled,
			composition,
			framesPerChunk:
				body.framesPerChunk ??
				body.framesPerLambda ??
				balancedFramesPerChunk({durationInFrames: composition.durationInFrames, maxFramesPerChunk: context.defaultFramesPerChunk, slots: context.renderSlots}),
			codec: body.codec,
			options,
			outName: body.outName ?? `out.${CODECS[body.codec].extension}`,
			webhook: body.webhook,
		},
	});
	const [queuePosition = null] = await context.backend.getQueuePositions([render.id]);
	return {render, queuePosition};
};
