import {OUTPUT_CODECS} from '../render/codecs.js';
import {z} from 'zod';

// The shapes of the three progress answers, as zod schemas: the server validates and documents
// with them, and the TypeScript types (here and in the client SDK) are inferred from them.

export const statusResponseSchema = z.discriminatedUnion('type', [
	z.object({type: z.literal('queued'), status: z.literal('QUEUED'), queuePosition: z.number().int(), progress: z.literal(0)}),
	z.object({type: z.literal('progress'), progress: z.number()}),
	z.object({type: z.literal('done'), url: z.string(), size: z.number().int()}),
	z.object({type: z.literal('error'), message: z.string()}),
]);

export const appProgressResponseSchema = z.discriminatedUnion('type', [
	z.object({type: z.literal('progress'), progress: z.number()}),
	z.object({type: z.literal('done'), url: z.string(), size: z.number().int()}),
	z.object({type: z.literal('error'), message: z.string()}),
]);

export const errorEntrySchema = z.object({
	type: z.enum(['renderer', 'browser', 'stitcher', 'webhook', 'artifact']),
	message: z.string(),
	name: z.string(),
	stack: z.string(),
	frame: z.number().int().nullable(),
	chunk: z.number().int().nullable(),
	isFatal: z.boolean(),
	attempt: z.number().int(),
	willRetry: z.boolean(),
	totalAttempts: z.number().int(),
	explanation: z.string().nullable(),
});

export const progressResponseSchema = z.object({
	overallProgress: z.number(),
	chunks: z.number().int(),
	done: z.boolean(),
	encodingStatus: z.object({framesEncoded: z.number().int()}).nullable(),
	costs: z.object({accruedSoFar: z.number(), currency: z.literal('USD'), displayCost: z.string(), disclaimer: z.string()}),
	renderId: z.string(),
	renderMetadata: z.object({
		totalFrames: z.number().int(),
		startedDate: z.number().int(),
		totalChunks: z.number().int(),
		estimatedTotalLambdaInvokations: z.number().int(),
		estimatedRenderLambdaInvokations: z.number().int(),
		compositionId: z.string(),
		codec: z.enum(OUTPUT_CODECS),
		framesPerLambda: z.number().int(),
		fps: z.number(),
		dimensions: z.object({width: z.number().int(), height: z.number().int()}),
		type: z.literal('video'),
	}),
	bucket: z.string(),
	outBucket: z.string(),
	outputFile: z.string().nullable(),
	outKey: z.string().nullable(),
	outputSizeInBytes: z.number().int().nullable(),
	timeToFinish: z.number().int().nullable(),
	errors: z.array(errorEntrySchema),
	fatalErrorEncountered: z.boolean(),
	currentTime: z.number().int(),
	renderSize: z.number().int(),
	lambdasInvoked: z.number().int(),
	framesRendered: z.number().int(),
	framesEncoded: z.number().int(),
	combinedFrames: z.number().int(),
	mostExpensiveFrameRanges: z
		.array(z.object({chunk: z.number().int(), timeInMilliseconds: z.number().int(), frameRange: z.tuple([z.number().int(), z.number().int()])}))
		.nullable(),
	queuePosition: z.number().int().nullable(),
});

/** The progress object of Remotion Lambda's getRenderProgress(), for a framefarm render. */
export type RenderProgress = z.infer<typeof progressResponseSchema>;
/** Swiftia's GET /api/render/{renderId} answer. */
export type RenderStatusResponse = z.infer<typeof statusResponseSchema>;
/** The prompt-to-motion-graphics app's POST /api/lambda/progress answer. */
export type AppProgressResponse = z.infer<typeof appProgressResponseSchema>;
export type RenderErrorEntry = z.infer<typeof errorEntrySchema>;
