import {z} from 'zod';

// Limits that keep one render from taking a machine for hours; the server may set tighter ones.
export const MAX_DIMENSION = 7680;
export const MAX_FPS = 240;
export const MAX_DURATION_IN_FRAMES = 216_000;

// Messages leave out the field's name: the caller knows it as `inputProps.fps` (HTTP) or
// `--fps` (CLI) and puts it in front (see formatInputError).
const wholeNumber = (min: number, max: number) =>
	z
		.number({error: 'must be a number'})
		.int('must be a whole number')
		.min(min, `must be at least ${min}`)
		.max(max, `must be at most ${max}`);

const evenDimension = wholeNumber(2, MAX_DIMENSION).refine(
	(value) => value % 2 === 0,
	'must be even (h264 in yuv420p needs even dimensions)',
);

/** What a render needs, whoever asks for it: the CLI, the HTTP API, the client SDK. */
export const renderInputSchema = z.object({
	code: z.string({error: 'must be a string of TSX'}).min(1, 'is empty: send the TSX source of a Remotion component'),
	durationInFrames: wholeNumber(1, MAX_DURATION_IN_FRAMES),
	fps: z.number({error: 'must be a number'}).positive('must be greater than 0').max(MAX_FPS, `must be at most ${MAX_FPS}`),
	width: evenDimension.default(1920),
	height: evenDimension.default(1080),
	framesPerChunk: wholeNumber(1, MAX_DURATION_IN_FRAMES).optional(),
});

export type RenderInput = z.input<typeof renderInputSchema>;
export type ResolvedRenderInput = z.output<typeof renderInputSchema>;

/** "inputProps.fps must be greater than 0", naming the field the way the caller's user knows it. */
export const formatInputError = (error: z.ZodError, fieldName: (path: PropertyKey[]) => string): string =>
	error.issues.map((issue) => `${fieldName(issue.path)} ${issue.message}`).join('; ');
