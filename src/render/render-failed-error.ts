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
