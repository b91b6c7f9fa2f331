import {z} from 'zod';
import {renderInputSchema} from '../render/render-input.js';
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

export const submitBodySchema = z
	.object({
		inputProps: z.object({code: input.code, durationInFrames: input.durationInFrames, fps: input.fps}, {error: 'must be an object with code, durationInFrames and fps'}),
		width: input.width,
		height: input.height,
		framesPerChunk: input.framesPerChunk,
		codec: z.literal('h264', {error: 'must be "h264"'}).default('h264'),
		outName: z
			.string()
			.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.mp4$/, 'must be a file name ending in .mp4 (letters, digits, _ and -)')
			.default('out.mp4'),
		webhook: webhookSchema.nullable().default(null),
	}, {error: 'must be a JSON object'});
export type SubmitBody = z.input<typeof submitBodySchema>;

/** The app sends only inputProps; the rest takes the defaults. */
export const lambdaRenderBodySchema = z.object({inputProps: submitBodySchema.shape.inputProps}, {error: 'must be a JSON object'});

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
});

export const lambdaRenderResponseSchema = z.object({
	renderId: z.string(),
	bucketName: z.string(),
	cloudWatchLogs: z.string(),
	folderInS3Console: z.string(),
});

export const renderSummarySchema = z.object({
	renderId: z.string(),
	status: z.enum(['queued', 'rendering', 'stitching', 'done', 'error', 'cancelled']),
	createdAt: z.number().int(),
	finishedAt: z.number().int().nullable(),
	durationInFrames: z.number().int(),
	fps: z.number(),
	width: z.number().int(),
	height: z.number().int(),
	outputFile: z.string().nullable(),
});

export const listResponseSchema = z.object({
	renders: z.array(renderSummarySchema),
	nextOffset: z.number().int().nullable(),
});
