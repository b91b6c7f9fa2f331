import type {OutputCodec} from '../render/codecs.js';
import type {RenderOptions} from '../render/render-options.js';

/** The state of one render, as every backend stores it. Fields are fully required; null means "not yet". */

export const RENDER_STATUSES = ['queued', 'rendering', 'stitching', 'done', 'error', 'cancelled'] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];

export const FINISHED_STATUSES: readonly RenderStatus[] = ['done', 'error', 'cancelled'];

/** One entry of the progress object's `errors`, as in Remotion Lambda. */
export type {RenderErrorEntry} from '../progress/progress-schemas.js';
import type {RenderErrorEntry} from '../progress/progress-schemas.js';

/**
 * Which site renders a job. A code render is a render of framefarm's own built-in site, whose
 * DynamicCode composition runs the compiled code from its inputProps; a deployed site is a
 * bundle of the user's own Remotion project in the bucket.
 */
export type RenderSite = {kind: 'builtin'} | {kind: 'deployed'; owner: string; name: string; hash: string};

/**
 * The composition as selectComposition() resolved it for the render's inputProps (after its
 * calculateMetadata()), once per render: the chunks render exactly this.
 */
export type ResolvedComposition = {
	id: string;
	durationInFrames: number;
	fps: number;
	width: number;
	height: number;
	/**
	 * The props the component receives: its defaultProps merged with inputProps, as
	 * calculateMetadata() left them; null when they are the inputProps as they are (code renders).
	 */
	props: Record<string, unknown> | null;
	defaultProps: Record<string, unknown>;
};

export type RenderJob = {
	site: RenderSite;
	composition: ResolvedComposition;
	inputProps: Record<string, unknown>;
	/** Frames a chunk; the most any chunk has when chunkFrames plans them. */
	framesPerChunk: number;
	/**
	 * The frames of each chunk in order, when the farm planned the render for watching (see
	 * plan-for-watching.ts); absent: chunks of framesPerChunk, the last one what is left.
	 */
	chunkFrames?: number[];
	codec: OutputCodec;
	/** Remotion Lambda's render options the client gave (see render-options.ts); {} for Remotion's defaults. */
	options: RenderOptions;
	/** Object key of the output, relative to the render's folder. */
	outName: string;
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
