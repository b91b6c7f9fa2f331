import type {ChunkFailure} from './backend.js';
import type {ChunkRecord, RenderErrorEntry} from './render-record.js';

/** A cancelled render is reported as a fatal error with the message "cancelled". */
export const cancelledEntry = (): RenderErrorEntry => ({
	type: 'renderer',
	message: 'cancelled',
	name: 'CancelledError',
	stack: '',
	frame: null,
	chunk: null,
	isFatal: true,
	attempt: 0,
	willRetry: false,
	totalAttempts: 0,
	explanation: 'The render was cancelled with DELETE /api/render/{renderId}.',
});

/** A render that ran past FRAMEFARM_RENDER_TIMEOUT_MS, stopped by the worker whose chunk reached the deadline. */
export const renderTimeoutEntry = (chunk: Pick<ChunkRecord, 'index' | 'attempt'>, renderMs: number): RenderErrorEntry => ({
	type: 'renderer',
	message: `The render did not finish within ${renderMs / 1000} s (FRAMEFARM_RENDER_TIMEOUT_MS); it was stopped at chunk ${chunk.index}`,
	name: 'RenderTimeoutError',
	stack: '',
	frame: null,
	chunk: chunk.index,
	isFatal: true,
	attempt: chunk.attempt,
	willRetry: false,
	totalAttempts: chunk.attempt,
	explanation: 'Every render has a deadline counted from when it started; raise FRAMEFARM_RENDER_TIMEOUT_MS for longer renders.',
});

/** Why a render failed on a chunk: "Chunk 1 (frames 30-59) failed at frame 37 on attempt 2 of 2: boom". */
export const chunkFailureMessage = (
	chunk: Pick<ChunkRecord, 'index' | 'frameRange' | 'attempt'>,
	failure: {frame: number | null; message: string},
	totalAttempts: number,
): string => {
	const at = failure.frame === null ? '' : ` at frame ${failure.frame}`;
	return `Chunk ${chunk.index} (frames ${chunk.frameRange[0]}-${chunk.frameRange[1]}) failed${at} on attempt ${chunk.attempt} of ${totalAttempts}: ${failure.message}`;
};

/** The progress object's entry for a failed chunk attempt. */
export const chunkErrorEntry = (
	failure: ChunkFailure,
	chunk: Pick<ChunkRecord, 'index' | 'attempt'>,
	{willRetry, totalAttempts}: {willRetry: boolean; totalAttempts: number},
): RenderErrorEntry => ({
	type: failure.type,
	message: failure.message,
	name: failure.name,
	stack: failure.stack,
	frame: failure.frame,
	chunk: chunk.index,
	isFatal: !willRetry,
	attempt: chunk.attempt,
	willRetry,
	totalAttempts,
	explanation: failure.explanation,
});

