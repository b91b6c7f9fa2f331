import type {ChunkRecord, NewRender, RenderErrorEntry, RenderRecord} from './render-record.js';

/** Work a worker slot takes from the backend. */
export type Task =
	| {type: 'chunk'; render: RenderRecord; chunk: ChunkRecord}
	| {type: 'stitch'; render: RenderRecord; chunks: ChunkRecord[]};

export type ChunkFailure = Omit<RenderErrorEntry, 'isFatal' | 'willRetry' | 'totalAttempts' | 'attempt' | 'chunk'> & {
	/** The error can never succeed on another attempt (e.g. a cancelled render). */
	unrecoverable: boolean;
};

export type ListRendersOptions = {owner: string; limit: number; offset: number};

/**
 * The queue and the state of every render. Routes, the scheduler and the workers talk only to
 * this; the drivers are SQLite with in-process dispatch (embedded) and BullMQ on Redis.
 * Every driver passes test/backend-conformance.ts.
 */
export type Backend = {
	// -- the API's side
	submitRender: (render: NewRender) => Promise<RenderRecord>;
	getRender: (id: string) => Promise<RenderRecord | null>;
	getChunks: (id: string) => Promise<ChunkRecord[]>;
	/**
	 * Each render's place in the queue, all read at one moment: 1 for the next render to start,
	 * null for one not queued. Two renders never share a place, and a place never rises.
	 */
	getQueuePositions: (ids: string[]) => Promise<(number | null)[]>;
	listRenders: (options: ListRendersOptions) => Promise<RenderRecord[]>;
	/** How many of an owner's renders wait in the queue (for the per-key cap). */
	countQueued: (owner: string) => Promise<number>;
	/** Renders of every owner waiting in the queue, and started and not finished (the metrics' gauge). */
	countRenders: () => Promise<{queued: number; running: number}>;
	/** Marks a render cancelled; workers on it are told through onCancel. Null if unknown. */
	cancelRender: (id: string) => Promise<RenderRecord | null>;
	appendLog: (id: string, line: string) => Promise<void>;
	/** Adds an entry to the progress object's errors that does not end the render (a blocked request, a webhook). */
	addError: (id: string, entry: RenderErrorEntry) => Promise<void>;
	/**
	 * Takes a render that succeeded or failed and has a webhook not yet sent: each is handed out
	 * to one notifier at a time, and again (after a restart, or a lease in distributed mode) until
	 * completeWebhook() says it was sent or given up. Null when there is none.
	 */
	claimWebhook: () => Promise<RenderRecord | null>;
	/** The claimed webhook was delivered, or finally failed: it is never handed out again. */
	completeWebhook: (id: string) => Promise<void>;
	/** Ids of renders that finished (done, failed or cancelled) before `before`, oldest first. */
	listFinishedBefore: (before: number, limit: number) => Promise<string[]>;
	/** Forgets a finished render: its record, chunks, errors and log (the retention sweeper). */
	deleteRender: (id: string) => Promise<void>;
	getLog: (id: string) => Promise<string[]>;

	// -- the workers' side
	/** Starts queued renders when a render slot is free, then hands out the next stitch or chunk. */
	claimTask: (worker: string) => Promise<Task | null>;
	/** Resolves when there may be new work, or after timeoutMs. */
	waitForWork: (timeoutMs: number) => Promise<void>;
	reportChunkProgress: (id: string, index: number, progress: {renderedFrames: number; encodedFrames: number}) => Promise<void>;
	completeChunk: (id: string, index: number, result: {busyMs: number; bytes: number}) => Promise<void>;
	/**
	 * Gives a task back untouched because its worker is stopping (Remotion closes the browsers on
	 * SIGTERM): not an attempt, not an error; another worker takes it.
	 */
	releaseTask: (task: Task, worker: string) => Promise<void>;
	/** Records the failed attempt; retries the chunk if attempts remain, else fails the render. */
	failChunk: (id: string, index: number, failure: ChunkFailure & {busyMs: number}) => Promise<{willRetry: boolean}>;
	reportStitchProgress: (id: string, framesStitched: number) => Promise<void>;
	completeRender: (id: string, result: {outKey: string; outSize: number}) => Promise<void>;
	failRender: (id: string, error: RenderErrorEntry) => Promise<void>;
	/** Called with the id of every render cancelled from now on; returns an unsubscribe function. */
	onCancel: (listener: (id: string) => void) => () => void;
	/** Why the backend cannot serve now (its Redis is away), or null; it recovers by itself. */
	problem: () => string | null;
	close: () => Promise<void>;
};
