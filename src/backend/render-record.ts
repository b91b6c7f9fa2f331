/** The state of one render, as every backend stores it. Fields are fully required; null means "not yet". */

export type RenderStatus = 'queued' | 'rendering' | 'stitching' | 'done' | 'error' | 'cancelled';

export const FINISHED_STATUSES: readonly RenderStatus[] = ['done', 'error', 'cancelled'];

/** One entry of the progress object's `errors`, as in Remotion Lambda. */
export type {RenderErrorEntry} from '../progress/progress-schemas.js';
import type {RenderErrorEntry} from '../progress/progress-schemas.js';

export type RenderJob = {
	durationInFrames: number;
	fps: number;
	width: number;
	height: number;
	framesPerChunk: number;
	codec: 'h264';
	/** Object key of the output, relative to the render's folder. */
	outName: string;
	/** Compiled user code (see compileCode). */
	js: string;
	exportName: string;
	/** Where to POST when the render succeeds or fails (Remotion Lambda's webhook option). */
	webhook: RenderWebhook | null;
};

export type RenderWebhook = {url: string; secret: string | null; customData: Record<string, unknown> | null};

export type RenderRecord = {
	id: string;
	/** Submission order: the queue is ordered by it. */
	seq: number;
	/** A hash of the API key that created the render; the key itself is never stored. */
	owner: string;
	status: RenderStatus;
	job: RenderJob;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number | null;
	totalChunks: number;
	framesStitched: number;
	outKey: string | null;
	outSize: number | null;
	/** Bytes written to the bucket for this render: chunks and output. */
	bytesStored: number;
	/** Why the render stopped, when status is 'error' or 'cancelled'. */
	failure: string | null;
	errors: RenderErrorEntry[];
};

export type ChunkStatus = 'pending' | 'rendering' | 'done';

export type ChunkRecord = {
	renderId: string;
	index: number;
	frameRange: [number, number];
	status: ChunkStatus;
	/** Attempts started so far (1 while the first runs). */
	attempt: number;
	/** Highest counts reached by any attempt: progress never goes back. */
	renderedFrames: number;
	encodedFrames: number;
	startedAt: number | null;
	finishedAt: number | null;
	/** Worker time spent on this chunk over all attempts, for the cost estimate. */
	busyMs: number;
	/** Which worker slot rendered it last, e.g. "host:1234/slot-0". */
	worker: string | null;
};

export type NewRender = {
	id: string;
	owner: string;
	job: RenderJob;
	createdAt: number;
};
