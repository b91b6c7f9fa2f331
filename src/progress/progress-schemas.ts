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

/** An error as getRenderProgress() reports it: the stored entry plus Lambda's fields that have no meaning here. */
const progressErrorSchema = errorEntrySchema.extend({
	tmpDir: z.null(),
	/** Deprecated in Lambda, always empty. */
	s3Location: z.literal(''),
});

export const progressResponseSchema = z.object({
	overallProgress: z.number(),
	chunks: z.number().int(),
	done: z.boolean(),
	encodingStatus: z.object({framesEncoded: z.number().int(), combinedFrames: z.number().int(), timeToCombine: z.number().int().nullable()}).nullable(),
	costs: z.object({accruedSoFar: z.number(), currency: z.literal('USD'), displayCost: z.string(), disclaimer: z.string()}),
	renderId: z.string(),
	// Remotion Lambda 4.0.520's, field for field; what only means something on AWS has a fixed value (README).
	renderMetadata: z.object({
		type: z.literal('video'),
		imageFormat: z.enum(['png', 'jpeg', 'none']),
		muted: z.boolean(),
		frameRange: z.tuple([z.number().int(), z.number().int()]),
		everyNthFrame: z.number().int(),
		codec: z.enum(OUTPUT_CODECS),
		siteId: z.string(),
		totalFrames: z.number().int(),
		startedDate: z.number().int(),
		totalChunks: z.number().int(),
		estimatedTotalLambdaInvokations: z.number().int(),
		estimatedRenderLambdaInvokations: z.number().int(),
		compositionId: z.string(),
		audioCodec: z.enum(['pcm-16', 'aac', 'mp3', 'opus']).nullable(),
		inputProps: z.object({type: z.literal('bucket-url'), hash: z.string(), bucketName: z.string()}),
		framesPerLambda: z.number().int(),
		memorySizeInMb: z.number().int(),
		functionName: z.string(),
		rendererFunctionName: z.string(),
		lambdaVersion: z.string(),
		region: z.literal('us-east-1'),
		renderId: z.string(),
		outName: z.string(),
		privacy: z.literal('private'),
		deleteAfter: z.null(),
		numberOfGifLoops: z.number().int().nullable(),
		audioBitrate: z.string().nullable(),
		downloadBehavior: z.union([z.object({type: z.literal('play-in-browser')}), z.object({type: z.literal('download'), fileName: z.string().nullable()})]),
		metadata: z.record(z.string(), z.string()).nullable(),
		fps: z.number(),
		dimensions: z.object({width: z.number().int(), height: z.number().int()}),
		scale: z.number(),
	}),
	bucket: z.string(),
	outBucket: z.string(),
	outputFile: z.string().nullable(),
	outKey: z.string().nullable(),
	outputSizeInBytes: z.number().int().nullable(),
	timeToFinish: z.number().int().nullable(),
	errors: z.array(progressErrorSchema),
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
	/** framefarm's own: the HLS playlist of the chunks rendered so far (h264 renders), signed like outputs; null when there is none. */
	liveUrl: z.string().nullable(),
	/**
	 * framefarm's own: when playing the live stream from its start at 1x is expected to reach its
	 * end without waiting for the render (epoch ms, the clock of currentTime); null while nothing
	 * is rendered or there is no live stream.
	 */
	livePlaysThroughAt: z.number().int().nullable(),
	type: z.literal('success'),
	cleanup: z.null(),
	timeToFinishChunks: z.number().int().nullable(),
	timeToRenderFrames: z.number().int().nullable(),
	timeToEncode: z.number().int().nullable(),
	timeToCombine: z.number().int().nullable(),
	retriesInfo: z.array(z.object({chunk: z.number().int(), attempt: z.number().int(), time: z.number().int()})),
	estimatedBillingDurationInMilliseconds: z.number().int().nullable(),
	timeoutTimestamp: z.number().int(),
	functionLaunched: z.number().int(),
	serveUrlOpened: z.number().int().nullable(),
	compositionValidated: z.number().int().nullable(),
	artifacts: z.array(z.never()),
});

/** The progress object of Remotion Lambda's getRenderProgress(), for a framefarm render. */
export type RenderProgress = z.infer<typeof progressResponseSchema>;
/** Swiftia's GET /api/render/{renderId} answer. */
export type RenderStatusResponse = z.infer<typeof statusResponseSchema>;
/** The prompt-to-motion-graphics app's POST /api/lambda/progress answer. */
export type AppProgressResponse = z.infer<typeof appProgressResponseSchema>;
export type RenderErrorEntry = z.infer<typeof errorEntrySchema>;
