import {z} from 'zod';
import {AUDIO_CODECS} from './codecs.js';

// Remotion Lambda's render options that framefarm takes, with Lambda's names; each is optional and
// Remotion's default applies when it is left out. What they may be together (a CRF in the codec's
// range, a ProRes profile only with prores, ...) is checked at submit by checkRenderOptions().

const BITRATE = /^\d+(\.\d+)?[KkMm]$/;

export const renderOptionsShape = {
	audioCodec: z.enum(AUDIO_CODECS, {error: `must be one of ${AUDIO_CODECS.join(', ')}`}).optional(),
	crf: z.number({error: 'must be a number'}).int('must be a whole number').optional(),
	imageFormat: z.enum(['png', 'jpeg', 'none'], {error: 'must be png, jpeg or none'}).optional(),
	jpegQuality: z.number({error: 'must be a number'}).int('must be a whole number').min(0, 'must be at least 0').max(100, 'must be at most 100').optional(),
	scale: z.number({error: 'must be a number'}).gt(0, 'must be greater than 0').max(16, 'must be at most 16').optional(),
	muted: z.boolean({error: 'must be true or false'}).optional(),
	audioBitrate: z.string({error: 'must be a string'}).regex(BITRATE, 'must be a bitrate like "128k" or "1M"').optional(),
	videoBitrate: z.string({error: 'must be a string'}).regex(BITRATE, 'must be a bitrate like "1M" or "800k"').optional(),
	pixelFormat: z.enum(['yuv420p', 'yuva420p', 'yuv422p', 'yuv444p', 'yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'yuva444p10le'], {error: 'must be a pixel format Remotion knows, such as yuv420p'}).optional(),
	proResProfile: z.enum(['4444-xq', '4444', 'hq', 'standard', 'light', 'proxy'], {error: 'must be 4444-xq, 4444, hq, standard, light or proxy'}).optional(),
	x264Preset: z
		.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'], {error: 'must be an x264 preset, ultrafast to placebo'})
		.optional(),
	colorSpace: z.enum(['default', 'bt709', 'bt2020-ncl'], {error: 'must be default, bt709 or bt2020-ncl'}).optional(),
	numberOfGifLoops: z.number({error: 'must be a number or null'}).int('must be a whole number').min(0, 'must be at least 0').nullable().optional(),
	envVariables: z.record(z.string(), z.string({error: 'must map names to strings'}), {error: 'must be an object of strings'}).optional(),
	metadata: z.record(z.string(), z.string({error: 'must map names to strings'}), {error: 'must be an object of strings'}).optional(),
	/** Attempts after the first a failed chunk gets (Lambda's maxRetries); the farm's FRAMEFARM_CHUNK_RETRIES when left out. */
	maxRetries: z.number({error: 'must be a number'}).int('must be a whole number').min(0, 'must be at least 0').max(10, 'must be at most 10').optional(),
	/**
	 * Lambda's chromiumOptions, those a warm shared browser can honour per render: darkMode (set on
	 * each page). The others (gl, userAgent, ignoreCertificateErrors, disableWebSecurity, ...) are
	 * launch flags of the farm's browsers, set by their operator, and a 400 here.
	 */
	chromiumOptions: z
		.strictObject({darkMode: z.boolean({error: 'must be true or false'}).optional()}, {
			error: (issue) =>
				issue.code === 'unrecognized_keys'
					? `takes only darkMode: ${(issue.keys ?? []).join(', ')} ${issue.keys?.length === 1 ? 'is a launch flag' : 'are launch flags'} of the farm's shared, warm browsers, set by its operator`
					: 'must be an object such as {"darkMode": true}',
		})
		.optional(),
	/** Lambda's downloadBehavior: whether a browser given the output's URL plays it or downloads it (Content-Disposition). */
	downloadBehavior: z
		.discriminatedUnion(
			'type',
			[
				z.object({type: z.literal('play-in-browser')}),
				z.object({
					type: z.literal('download'),
					fileName: z
						.string({error: 'must be a string or null'})
						.regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,199}$/, 'must be a file name of letters, digits, spaces and . _ ( ) -')
						.nullable(),
				}),
			],
			{error: 'must be {"type": "play-in-browser"} or {"type": "download", "fileName": string | null}'},
		)
		.optional(),
	/** Renders every nth frame only (gif). */
	everyNthFrame: z.number({error: 'must be a number'}).int('must be a whole number').min(1, 'must be at least 1').max(60, 'must be at most 60').optional(),
	/** Remotion's delayRender() timeout; the farm's FRAMEFARM_FRAME_TIMEOUT_MS caps it. */
	timeoutInMilliseconds: z.number({error: 'must be a number'}).int('must be a whole number').min(1000, 'must be at least 1000').optional(),
};

export const renderOptionsSchema = z.object(renderOptionsShape);
/** The options as a request gives them. */
export type RequestedRenderOptions = z.output<typeof renderOptionsSchema>;
/** The options as a job stores them. */
export type RenderOptions = RequestedRenderOptions & {
	/** The first and last frame to render (Lambda's frameRange, resolved at submit); the whole composition when absent. */
	frameRange?: [number, number];
};

const frameNumber = z.number({error: 'must be a frame number'}).int('must be a whole number').min(0, 'must be at least 0');

/** Lambda's frameRange as a request gives it: one frame, [first, last], or [first, null] for the rest. */
export const frameRangeSchema = z.union([frameNumber, z.tuple([frameNumber, frameNumber.nullable()])], {error: 'must be a frame number, [first, last] or [first, null]'});

/** The render options out of a request that holds them among other fields, those given only. */
export const pickRenderOptions = (body: RequestedRenderOptions): RequestedRenderOptions =>
	Object.fromEntries(Object.keys(renderOptionsShape).flatMap((name) => (body[name as keyof RequestedRenderOptions] === undefined ? [] : [[name, body[name as keyof RequestedRenderOptions]]]))) as RequestedRenderOptions;
