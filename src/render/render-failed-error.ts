import type {ChunkError} from './chunk-error.js';

/** A render that cannot finish: a chunk failed on its last attempt, or the stitch failed. */
export class RenderFailedError extends Error {
	override readonly name = 'RenderFailedError';
	readonly code = 'render_failed';
	override readonly cause: ChunkError | Error;

	constructor(message: string, cause: ChunkError | Error) {
		super(message);
		this.cause = cause;
	}
}

/** "Chunk 1 (frames 30-59) failed at frame 37 on attempt 2 of 2: boom" */
export const describeChunkFailure = (
	error: ChunkError,
	frameRange: readonly [number, number],
	totalAttempts: number,
): string => {
	const at = error.frame === null ? '' : ` at frame ${error.frame}`;
	return `Chunk ${error.chunk} (frames ${frameRange[0]}-${frameRange[1]}) failed${at} on attempt ${error.attempt} of ${totalAttempts}: ${error.message}`;
};
