import {RENDER_STATUSES} from '../backend/render-record.js';
import {z} from 'zod';
import {renderInputSchema} from '../render/render-input.js';
import {OUTPUT_CODECS} from '../render/codecs.js';
import {renderOptionIssues} from '../render/render-option-issues.js';
import {frameRangeSchema, renderOptionsShape} from '../render/render-options.js';
import {siteNameSchema} from '../sites/site-manifest.js';
import {RENDER_ID_PATTERN} from './make-render-id.js';

export {appProgressResponseSchema, progressResponseSchema, statusResponseSchema} from '../progress/progress-schemas.js';

// Request and response shapes of every route. Routes validate with them, /openapi.json is
// generated from them, and the client SDK's types are inferred from them.

const input = renderInputSchema.shape;

const MAX_CUSTOM_DATA_BYTES = 1024;

/** Remotion Lambda's webhook option: a POST when the render succeeds, fails or times out. */
export const webhookSchema = z.object(
	{
		url: z
			.string({error: 'must be a string'})
			.url('must be a URL')
			.refine((value) => /^https?:\/\//i.test(value), 'must be an http or https URL'),
		secret: z.string({error: 'must be a string or null'}).max(1024, 'must be at most 1024 characters').nullable().default(null),
		customData: z
			.record(z.string(), z.unknown(), {error: 'must be a JSON object'})
			.nullable()
			.default(null)
			.refine(
				(value) => value === null || Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_CUSTOM_DATA_BYTES,
				`must be at most ${MAX_CUSTOM_DATA_BYTES} bytes as JSON`,
			),
	},
	{error: 'must be an object with url, and maybe secret and customData'},
);

/** A code render's inputProps: the TSX and the timing its composition has. */
export const codeInputPropsSchema = z.object({code: input.code, durationInFrames: input.durationInFrames, fps: input.fps}, {error: 'must be an object with code, durationInFrames and fps'});


type TargetFields = {siteName?: string | undefined; serveUrl?: string | undefined; composition?: string | undefined; inputProps: unknown; width?: number | undefined; height?: number | undefined};

/**
 * What a request names to render, checked the same for renders and stills: a site (siteName or
 * serveUrl) and its composition, or code, whose inputProps `codeSchema` checks field by field.
 */
const checkTarget = (body: TargetFields, ctx: z.RefinementCtx, codeSchema: z.ZodType) => {
	const site = body.siteName !== undefined || body.serveUrl !== undefined;
	if (!site) {
		const code = codeSchema.safeParse(body.inputProps);
		for (const issue of code.success ? [] : code.error.issues) {
			ctx.addIssue({code: 'custom', message: issue.message, path: ['inputProps', ...issue.path]});
		}
		if (body.composition !== undefined) {
			ctx.addIssue({code: 'custom', message: 'needs siteName or serveUrl: the site whose composition to render', path: ['composition']});
		}
		return;
	}
	if (body.siteName !== undefined && body.serveUrl !== undefined) {
		ctx.addIssue({code: 'custom', message: 'and serveUrl both name a site: send one', path: ['siteName']});
	}
	if (body.composition === undefined) {
		ctx.addIssue({code: 'custom', message: 'is required with a site: the id of the composition to render', path: ['composition']});
	}
	for (const field of ['width', 'height'] as const) {
		if (body[field] !== undefined) {
			ctx.addIssue({code: 'custom', message: "is the composition's own for a site render (its <Composition> or calculateMetadata() sets it)", path: [field]});
		}
	}
};

const targetShape = {
	siteName: siteNameSchema.optional(),
	serveUrl: z.string({error: 'must be a string'}).optional(),
	composition: z.string({error: 'must be a string'}).min(1, 'must name a composition of the site').max(256, 'must be at most 256 characters').optional(),
	width: input.width.unwrap().optional(),
	height: input.height.unwrap().optional(),
};

const unknownKeys = (issue: {code?: string; keys?: string[]}) =>
	issue.code === 'unrecognized_keys' ? `has options framefarm does not take: ${(issue.keys ?? []).join(', ')} (the README lists those it does)` : 'must be a JSON object';

/**
 * POST /api/render: a code render (`inputProps.code`, as always), or a render of a composition of
 * a deployed site (`siteName` or `serveUrl`, `composition`, and its props as `inputProps`).
 */
export const submitBodySchema = z
	.strictObject(
		{
			...targetShape,
			// Either shape is an object; the refinement below holds a code render to the first. The
			// union documents both in /openapi.json.
			inputProps: z.union([codeInputPropsSchema, z.record(z.string(), z.unknown())], {
				error: 'must be an object: code, durationInFrames and fps for a code render, or the props of the site\'s composition',
			}),
			framesPerChunk: input.framesPerChunk,
			/** Remotion Lambda's name for framesPerChunk. */
			framesPerLambda: input.framesPerChunk,
			codec: z.enum(OUTPUT_CODECS, {error: `must be one of ${OUTPUT_CODECS.join(', ')}`}).default('h264'),
			...renderOptionsShape,
			frameRange: frameRangeSchema.optional(),
			forceWidth: input.width.unwrap().optional(),
			forceHeight: input.height.unwrap().optional(),
			forceFps: input.fps.optional(),
			forceDurationInFrames: input.durationInFrames.optional(),
			// Its extension is the codec's (checked below); out.<extension> when left out, as in Lambda.
			outName: z
				.string()
				.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.[a-z0-9]{2,4}$/, 'must be a file name with the codec\'s extension, such as out.mp4 (letters, digits, _ and -)')
				.optional(),
			webhook: webhookSchema.nullable().default(null),
		},
		{error: unknownKeys},
	)
	.superRefine((body, ctx) => {
		for (const issue of renderOptionIssues(body)) {
			ctx.addIssue({code: 'custom', message: issue.message, path: [issue.field]});
		}
		if (body.framesPerChunk !== undefined && body.framesPerLambda !== undefined) {
			ctx.addIssue({code: 'custom', message: 'and framesPerLambda are the same option: send one', path: ['framesPerChunk']});
		}
		checkTarget(body, ctx, codeInputPropsSchema);
	});
export type SubmitBody = z.input<typeof submitBodySchema>;

export const STILL_IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'pdf'] as const;

/** A still of code needs no timing: one frame of 30 fps unless it says otherwise. */
const stillCodeInputPropsSchema = codeInputPropsSchema.extend({durationInFrames: input.durationInFrames.default(1), fps: input.fps.default(30)});

/** POST /api/still: one frame of a site's composition or of code, as renderStillOnLambda() takes it. */
export const stillBodySchema = z
	.strictObject(
		{
			...targetShape,
			inputProps: z.union([stillCodeInputPropsSchema, z.record(z.string(), z.unknown())], {error: 'must be an object: code for a still of code, or the props of the site\'s composition'}),
			frame: z.number({error: 'must be a number'}).int('must be a whole number').min(0, 'must be at least 0').default(0),
			imageFormat: z.enum(STILL_IMAGE_FORMATS, {error: `must be one of ${STILL_IMAGE_FORMATS.join(', ')}`}).default('png'),
			jpegQuality: renderOptionsShape.jpegQuality,
			scale: renderOptionsShape.scale,
			envVariables: renderOptionsShape.envVariables,
			outName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.(png|jpeg|jpg|webp|pdf)$/, 'must be a file name with the image format\'s extension, such as out.png').optional(),
		},
		{error: unknownKeys},
	)
	.superRefine((body, ctx) => {
		checkTarget(body, ctx, stillCodeInputPropsSchema);
		if (body.jpegQuality !== undefined && body.imageFormat !== 'jpeg') {
			ctx.addIssue({code: 'custom', message: 'is for imageFormat jpeg only', path: ['jpegQuality']});
		}
	});

export const stillResponseSchema = z.object({
	renderId: z.string(),
	bucketName: z.string(),
	url: z.string(),
	outKey: z.string(),
	sizeInBytes: z.number().int(),
	estimatedPrice: z.object({accruedSoFar: z.number(), displayCost: z.string(), currency: z.literal('USD'), disclaimer: z.string()}),
});

/** The app sends only inputProps; the rest takes the defaults. */
export const lambdaRenderBodySchema = z.object({inputProps: codeInputPropsSchema}, {error: 'must be a JSON object'});

export const renderIdParamsSchema = z.object({
	renderId: z.string().regex(RENDER_ID_PATTERN, 'must be a render id (lowercase letters and digits)'),
});

export const lambdaProgressBodySchema = z.object({
	id: z.string({error: 'must be a string'}).regex(RENDER_ID_PATTERN, 'must be a render id (lowercase letters and digits)'),
	bucketName: z.string({error: 'must be a string'}),
}, {error: 'must be a JSON object'});

export const listQuerySchema = z.object({
	limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
	offset: z.coerce.number().int('must be a whole number').min(0, 'must be at least 0').default(0),
	status: z.enum(RENDER_STATUSES, {error: `must be one of ${RENDER_STATUSES.join(', ')}`}).optional(),
});

export const errorResponseSchema = z.object({
	error: z.string(),
	code: z.string().optional(),
	/** Where code that does not compile went wrong. */
	line: z.number().int().nullable().optional(),
	column: z.number().int().nullable().optional(),
});

export const submitResponseSchema = z.object({
	renderId: z.string(),
	bucketName: z.string(),
	status: z.literal('queued'),
	queuePosition: z.number().int().nullable(),
	/** The render's log, as Lambda's answer points to CloudWatch. */
	cloudWatchLogs: z.string(),
	/** The render's folder in the bucket (a signed URL, or the S3 console on AWS). */
	folderInS3Console: z.string(),
});

export const lambdaRenderResponseSchema = z.object({
	renderId: z.string(),
	bucketName: z.string(),
	cloudWatchLogs: z.string(),
	folderInS3Console: z.string(),
});

export const renderSummarySchema = z.object({
	renderId: z.string(),
	status: z.enum(RENDER_STATUSES),
	createdAt: z.number().int(),
	finishedAt: z.number().int().nullable(),
	durationInFrames: z.number().int(),
	fps: z.number(),
	width: z.number().int(),
	height: z.number().int(),
	outputFile: z.string().nullable(),
	/** Place in the farm's queue (1 = next to start), null when not queued; one moment for the whole page. */
	queuePosition: z.number().int().nullable(),
	/** As in the progress object. */
	overallProgress: z.number(),
	outputSizeInBytes: z.number().int().nullable(),
	/** The progress object's costs.accruedSoFar, in USD. */
	estimatedCost: z.number(),
});

export const chunksResponseSchema = z.object({
	chunks: z.array(
		z.object({
			index: z.number().int(),
			frameRange: z.tuple([z.number().int(), z.number().int()]),
			status: z.string(),
			attempts: z.array(
				z.object({
					attempt: z.number().int(),
					worker: z.string(),
					startedAt: z.number(),
					endedAt: z.number().nullable(),
					outcome: z.enum(['rendering', 'done', 'failed', 'lost', 'cancelled']),
				}),
			),
		}),
	),
});

export const listResponseSchema = z.object({
	renders: z.array(renderSummarySchema),
	nextOffset: z.number().int().nullable(),
});
