import type {RenderErrorEntry} from '../backend/render-record.js';

/** One sentence for an error entry: "Chunk 1 failed at frame 37 on attempt 2 of 2: boom". */
export const describeError = (error: RenderErrorEntry): string => {
	if (error.chunk === null) {
		return error.message;
	}
	const at = error.frame === null ? '' : ` at frame ${error.frame}`;
	return `Chunk ${error.chunk} failed${at} on attempt ${error.attempt} of ${error.totalAttempts}: ${error.message}`;
};
