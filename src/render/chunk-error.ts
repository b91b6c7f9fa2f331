import type {ChunkPlan} from './chunk-plan.js';

/** Why a chunk attempt failed, with what a user needs to find the cause. */
export class ChunkError extends Error {
	override readonly name: string;
	readonly code = 'chunk_failed';
	readonly chunk: number;
	/** The composition frame being rendered when it failed, if Remotion reported one. */
	readonly frame: number | null;
	readonly attempt: number;
	/** Set when the render was cancelled: such an attempt is never retried. */
	readonly cancelled: boolean;

	constructor({
		message,
		name,
		stack,
		chunk,
		frame,
		attempt,
		cancelled,
	}: {
		message: string;
		name: string;
		stack: string | undefined;
		chunk: number;
		frame: number | null;
		attempt: number;
		cancelled: boolean;
	}) {
		super(message);
		this.name = name;
		this.stack = stack;
		this.chunk = chunk;
		this.frame = frame;
		this.attempt = attempt;
		this.cancelled = cancelled;
	}
}

const frameOf = (err: unknown): number | null => {
	const frame = (err as {frame?: unknown} | null)?.frame;
	return typeof frame === 'number' && Number.isInteger(frame) ? frame : null;
};

export const toChunkError = (
	err: unknown,
	{
		chunk,
		attempt,
		aborted,
		framesRendered,
	}: {
		chunk: ChunkPlan;
		attempt: number;
		aborted: boolean;
		/** Frames the chunk had rendered when it failed; unknown (undefined) outside the renderer. */
		framesRendered?: number;
	},
): ChunkError => {
	if (err instanceof ChunkError) {
		return err;
	}
	const error = err instanceof Error ? err : new Error(String(err));
	// Frames render in order on one tab, so the frame that failed is the one after the last
	// rendered; that is what an error Remotion names no frame for gets (it came while the page was
	// set up, or between frames). A chunk of a render with a live stream also evaluates 2-3 frames
	// on each side for their audio (seamless-audio.ts), and Remotion names the frame its page was
	// set up at (the first of those before the range) for an error thrown on a later one: a frame
	// it names before the range is not trusted. One it names after the range is the audio frame it
	// was seeking when the error came, and is.
	const reported = frameOf(err);
	const next = framesRendered === undefined || aborted ? null : chunk.frameRange[0] + framesRendered;
	const trusted = reported !== null && reported >= chunk.frameRange[0];
	const frame = trusted ? reported : (next ?? (reported === null ? null : chunk.frameRange[0]));
	return new ChunkError({
		message: error.message,
		name: error.name === 'Error' ? 'RenderError' : error.name,
		stack: error.stack,
		chunk: chunk.index,
		frame,
		attempt,
		cancelled: aborted,
	});
};
