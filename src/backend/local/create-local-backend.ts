import {EventEmitter} from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {planChunks} from '../../render/plan-chunks.js';
import {chunkAttempts, renderedFrameCount, renderedFrameRange, renderedRangeLength} from '../../render/rendered-frames.js';
import type {Backend, ChunkFailure, Task} from '../backend.js';
import type {ChunkRecord, RenderErrorEntry, RenderJob, RenderRecord, RenderStatus} from '../render-record.js';
import {parseJob} from '../parse-job.js';
import {attemptStartLine, chunkDoneLine, chunkFailureLogLine, handedBackLine} from '../chunk-log.js';
import {cancelledEntry, chunkErrorEntry, chunkFailureMessage} from '../render-failures.js';
import {NO_RENDER_EVENTS, type RenderEvents} from '../render-events.js';
import {ADDED_COLUMNS, SCHEMA} from './schema.js';

export type LocalBackendOptions = {
	/** The SQLite file, or ':memory:'. */
	file: string;
	/** Renders that may run at once; the rest wait in submission order. */
	maxRenders: number;
	/** Retries of a failed chunk before its render fails. */
	chunkRetries: number;
	now?: () => number;
	events?: RenderEvents;
};

type RenderRow = {
	seq: number;
	id: string;
	owner: string;
	status: RenderStatus;
	job: string;
	created_at: number;
	started_at: number | null;
	finished_at: number | null;
	total_chunks: number;
	frames_stitched: number;
	out_key: string | null;
	out_size: number | null;
	bytes_stored: number;
	failure: string | null;
};

type ChunkRow = {
	render_id: string;
	idx: number;
	first_frame: number;
	last_frame: number;
	status: ChunkRecord['status'];
	attempt: number;
	rendered_frames: number;
	encoded_frames: number;
	started_at: number | null;
	finished_at: number | null;
	busy_ms: number;
	worker: string | null;
};

const toChunk = (row: ChunkRow): ChunkRecord => ({
	renderId: row.render_id,
	index: row.idx,
	frameRange: [row.first_frame, row.last_frame],
	status: row.status,
	attempt: row.attempt,
	renderedFrames: row.rendered_frames,
	encodedFrames: row.encoded_frames,
	startedAt: row.started_at,
	finishedAt: row.finished_at,
	busyMs: row.busy_ms,
	worker: row.worker,
});

/**
 * The embedded backend: state in one SQLite file, work handed out in this process. All writes
 * are synchronous transactions, so a render's state is never half-updated, and a restart finds
 * everything that was accepted: queued renders stay queued, finished chunks stay finished.
 */
export const createLocalBackend = (options: LocalBackendOptions): Backend => {
	const now = options.now ?? Date.now;
	const told = options.events ?? NO_RENDER_EVENTS;
	if (options.file !== ':memory:') {
		fs.mkdirSync(path.dirname(options.file), {recursive: true});
	}
	const db = new Database(options.file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('busy_timeout = 5000');
	db.exec(SCHEMA);
	for (const {table, column, definition} of ADDED_COLUMNS) {
		const columns = db.prepare<[], {name: string}>(`PRAGMA table_info(${table})`).all();
		if (!columns.some((existing) => existing.name === column)) {
			db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
		}
	}
	db.exec(`CREATE INDEX IF NOT EXISTS renders_webhook_pending ON renders (finished_at) WHERE webhook_pending = 1`);
	const events = new EventEmitter();
	events.setMaxListeners(0);

	const q = {
		insertRender: db.prepare(
			`INSERT INTO renders (id, owner, status, job, created_at, total_chunks, webhook_pending) VALUES (@id, @owner, 'queued', @job, @created_at, @total_chunks, @webhook_pending)`,
		),
		insertChunk: db.prepare(
			`INSERT INTO chunks (render_id, idx, first_frame, last_frame, status) VALUES (?, ?, ?, ?, 'pending')`,
		),
		render: db.prepare<[string], RenderRow>(`SELECT * FROM renders WHERE id = ?`),
		chunks: db.prepare<[string], ChunkRow>(`SELECT * FROM chunks WHERE render_id = ? ORDER BY idx`),
		chunk: db.prepare<[string, number], ChunkRow>(`SELECT * FROM chunks WHERE render_id = ? AND idx = ?`),
		errors: db.prepare<[string], {entry: string}>(`SELECT entry FROM errors WHERE render_id = ? ORDER BY seq`),
		insertError: db.prepare(`INSERT INTO errors (render_id, entry) VALUES (?, ?)`),
		queuedAhead: db.prepare<[number], {n: number}>(`SELECT COUNT(*) AS n FROM renders WHERE status = 'queued' AND seq < ?`),
		finishedBefore: db.prepare<[number, number], {id: string}>(
			`SELECT id FROM renders WHERE finished_at IS NOT NULL AND finished_at < ? AND status IN ('done', 'error', 'cancelled') ORDER BY finished_at LIMIT ?`,
		),
		deleteRender: ['chunks', 'errors', 'logs'].map((table) => db.prepare(`DELETE FROM ${table} WHERE render_id = ?`)).concat(db.prepare(`DELETE FROM renders WHERE id = ?`)),
		// webhook_pending: 1 waits to be sent, 2 is being sent (claimed), 0 was sent or there is none.
		claimWebhook: db.prepare<[], {id: string}>(
			`UPDATE renders SET webhook_pending = 2 WHERE id = (SELECT id FROM renders WHERE webhook_pending = 1 AND status IN ('done', 'error') ORDER BY finished_at LIMIT 1) RETURNING id`,
		),
		completeWebhook: db.prepare(`UPDATE renders SET webhook_pending = 0 WHERE id = ? AND webhook_pending = 2`),
		queuedOf: db.prepare<[string], {n: number}>(`SELECT COUNT(*) AS n FROM renders WHERE owner = ? AND status = 'queued'`),
		list: db.prepare<[string, number, number], RenderRow>(
			`SELECT * FROM renders WHERE owner = ? ORDER BY seq DESC LIMIT ? OFFSET ?`,
		),
		running: db.prepare<[], {n: number}>(`SELECT COUNT(*) AS n FROM renders WHERE status IN ('rendering', 'stitching')`),
		queued: db.prepare<[], {n: number}>(`SELECT COUNT(*) AS n FROM renders WHERE status = 'queued'`),
		nextQueued: db.prepare<[], RenderRow>(`SELECT * FROM renders WHERE status = 'queued' ORDER BY seq LIMIT 1`),
		start: db.prepare(`UPDATE renders SET status = 'rendering', started_at = ? WHERE id = ?`),
		nextStitch: db.prepare<[], RenderRow>(
			`SELECT * FROM renders WHERE status = 'stitching' AND stitch_claimed = 0 ORDER BY seq LIMIT 1`,
		),
		claimStitch: db.prepare(`UPDATE renders SET stitch_claimed = 1 WHERE id = ?`),
		nextChunk: db.prepare<[], ChunkRow>(
			`SELECT c.* FROM chunks c JOIN renders r ON r.id = c.render_id
			 WHERE r.status = 'rendering' AND c.status = 'pending' ORDER BY r.seq, c.idx LIMIT 1`,
		),
		claimChunk: db.prepare(
			`UPDATE chunks SET status = 'rendering', attempt = attempt + 1, started_at = ?, worker = ? WHERE render_id = ? AND idx = ?`,
		),
		chunkProgress: db.prepare(
			`UPDATE chunks SET rendered_frames = MAX(rendered_frames, ?), encoded_frames = MAX(encoded_frames, ?)
			 WHERE render_id = ? AND idx = ? AND status = 'rendering'`,
		),
		completeChunk: db.prepare(
			`UPDATE chunks SET status = 'done', finished_at = ?, busy_ms = busy_ms + ?, rendered_frames = last_frame - first_frame + 1,
			 encoded_frames = last_frame - first_frame + 1 WHERE render_id = ? AND idx = ? AND status = 'rendering'`,
		),
		retryChunk: db.prepare(`UPDATE chunks SET status = 'pending', busy_ms = busy_ms + ? WHERE render_id = ? AND idx = ?`),
		releaseChunk: db.prepare(
			`UPDATE chunks SET status = 'pending', attempt = MAX(attempt - 1, 0) WHERE render_id = ? AND idx = ? AND status = 'rendering'`,
		),
		releaseStitch: db.prepare(`UPDATE renders SET stitch_claimed = 0 WHERE id = ? AND status = 'stitching'`),
		addBusy: db.prepare(`UPDATE chunks SET busy_ms = busy_ms + ? WHERE render_id = ? AND idx = ?`),
		addBytes: db.prepare(`UPDATE renders SET bytes_stored = bytes_stored + ? WHERE id = ?`),
		chunksLeft: db.prepare<[string], {n: number}>(`SELECT COUNT(*) AS n FROM chunks WHERE render_id = ? AND status != 'done'`),
		toStitching: db.prepare(`UPDATE renders SET status = 'stitching', stitch_claimed = 0 WHERE id = ? AND status = 'rendering'`),
		stitchProgress: db.prepare(`UPDATE renders SET frames_stitched = MAX(frames_stitched, ?) WHERE id = ?`),
		complete: db.prepare(
			`UPDATE renders SET status = 'done', finished_at = ?, out_key = ?, out_size = ? WHERE id = ? AND status = 'stitching'`,
		),
		finish: db.prepare(
			`UPDATE renders SET status = ?, finished_at = ?, failure = ? WHERE id = ? AND status NOT IN ('done', 'error', 'cancelled')`,
		),
		appendLog: db.prepare(`INSERT INTO logs (render_id, at, line) VALUES (?, ?, ?)`),
		log: db.prepare<[string], {at: number; line: string}>(`SELECT at, line FROM logs WHERE render_id = ? ORDER BY seq`),
	};

	const readRender = (id: string): RenderRecord | null => {
		const row = q.render.get(id);
		if (!row) {
			return null;
		}
		return {
			id: row.id,
			seq: row.seq,
			owner: row.owner,
			status: row.status,
			job: parseJob(row.job),
			createdAt: row.created_at,
			startedAt: row.started_at,
			finishedAt: row.finished_at,
			totalChunks: row.total_chunks,
			framesStitched: row.frames_stitched,
			outKey: row.out_key,
			outSize: row.out_size,
			bytesStored: row.bytes_stored,
			failure: row.failure,
			errors: q.errors.all(id).map((e) => JSON.parse(e.entry) as RenderErrorEntry),
		};
	};

	const log = (id: string, line: string) => {
		q.appendLog.run(id, now(), line);
	};

	const wake = () => events.emit('work');

	// A process that died mid-render left chunks marked as rendering: nobody is rendering them
	// now. They go back to the queue without counting the lost attempt; finished chunks stay.
	const recover = db.transaction(() => {
		const interrupted = db
			.prepare<[], ChunkRow>(`SELECT * FROM chunks WHERE status = 'rendering'`)
			.all();
		for (const chunk of interrupted) {
			db.prepare(`UPDATE chunks SET status = 'pending', attempt = MAX(attempt - 1, 0) WHERE render_id = ? AND idx = ?`).run(
				chunk.render_id,
				chunk.idx,
			);
			log(chunk.render_id, `chunk ${chunk.idx}: interrupted by a restart of ${chunk.worker ?? 'its worker'}; it will be rendered again`);
			told.chunkLost({renderId: chunk.render_id, chunk: chunk.idx, worker: chunk.worker});
		}
		const running = db.prepare<[], RenderRow>(`SELECT * FROM renders WHERE status IN ('rendering', 'stitching')`).all();
		for (const render of running) {
			const done = q.chunks.all(render.id).filter((chunk) => chunk.status === 'done').map((chunk) => chunk.idx);
			log(
				render.id,
				`resumed after a restart: ${done.length} of ${render.total_chunks} chunks were already rendered and are kept${done.length ? ` (${done.join(', ')})` : ''}`,
			);
		}
		db.prepare(`UPDATE renders SET stitch_claimed = 0 WHERE status = 'stitching'`).run();
		// This process is the only notifier: a webhook claimed and not sent was cut short by a restart.
		db.prepare(`UPDATE renders SET webhook_pending = 1 WHERE webhook_pending = 2`).run();
	});
	recover();

	const startQueuedRenders = () => {
		while (q.running.get()!.n < options.maxRenders) {
			const next = q.nextQueued.get();
			if (!next) {
				return;
			}
			const startedAt = now();
			q.start.run(startedAt, next.id);
			log(next.id, `started: ${next.total_chunks} chunks`);
			told.renderStarted({renderId: next.id, createdAt: next.created_at, startedAt});
		}
	};

	const claim = db.transaction((worker: string): Task | null => {
		startQueuedRenders();
		const stitch = q.nextStitch.get();
		if (stitch) {
			q.claimStitch.run(stitch.id);
			log(stitch.id, `stitching on ${worker}`);
			return {type: 'stitch', render: readRender(stitch.id)!, chunks: q.chunks.all(stitch.id).map(toChunk)};
		}
		const chunk = q.nextChunk.get();
		if (!chunk) {
			return null;
		}
		q.claimChunk.run(now(), worker, chunk.render_id, chunk.idx);
		const claimed = toChunk(q.chunk.get(chunk.render_id, chunk.idx)!);
		log(chunk.render_id, attemptStartLine(chunk.idx, [chunk.first_frame, chunk.last_frame], claimed.attempt, worker));
		told.chunkStarted({renderId: chunk.render_id, chunk: chunk.idx, attempt: claimed.attempt, worker});
		return {type: 'chunk', render: readRender(chunk.render_id)!, chunk: claimed};
	});

	const addError = (id: string, entry: RenderErrorEntry) => q.insertError.run(id, JSON.stringify(entry));

	const finish = (id: string, status: 'error' | 'cancelled', failure: string): boolean => {
		const finishedAt = now();
		const changed = q.finish.run(status, finishedAt, failure, id).changes > 0;
		if (changed) {
			log(id, `${status}: ${failure}`);
			told.renderFinished({renderId: id, status, createdAt: q.render.get(id)!.created_at, finishedAt, failure});
		}
		return changed;
	};

	const failChunk = db.transaction(
		(id: string, index: number, failure: ChunkFailure & {busyMs: number}): {willRetry: boolean} => {
			const render = readRender(id);
			const chunk = q.chunk.get(id, index);
			if (!render || !chunk) {
				return {willRetry: false};
			}
			const stillRunning = render.status === 'rendering';
			const totalAttempts = chunkAttempts(render.job, options.chunkRetries);
			const willRetry = stillRunning && !failure.unrecoverable && chunk.attempt < totalAttempts;
			const entry = chunkErrorEntry(failure, {index, attempt: chunk.attempt}, {willRetry, totalAttempts});
			if (!stillRunning) {
				// Cancelled or already failed: the attempt was stopped on purpose, nothing to record.
				q.addBusy.run(failure.busyMs, id, index);
				return {willRetry: false};
			}
			addError(id, entry);
			log(id, chunkFailureLogLine({index, attempt: chunk.attempt}, failure, {willRetry, totalAttempts}));
			told.chunkFailed({renderId: id, chunk: index, attempt: chunk.attempt, worker: chunk.worker, willRetry, message: failure.message});
			if (willRetry) {
				q.retryChunk.run(failure.busyMs, id, index);
				return {willRetry: true};
			}
			q.addBusy.run(failure.busyMs, id, index);
			finish(id, 'error', chunkFailureMessage({index, frameRange: [chunk.first_frame, chunk.last_frame], attempt: chunk.attempt}, failure, totalAttempts));
			events.emit('cancel', id);
			return {willRetry: false};
		},
	);

	const completeChunk = db.transaction((id: string, index: number, result: {busyMs: number; bytes: number}) => {
		const changed = q.completeChunk.run(now(), result.busyMs, id, index).changes > 0;
		if (!changed) {
			return;
		}
		q.addBytes.run(result.bytes, id);
		const chunk = q.chunk.get(id, index)!;
		log(id, chunkDoneLine(index, chunk.finished_at! - chunk.started_at!, chunk.worker));
		told.chunkDone({
			renderId: id,
			chunk: index,
			attempt: chunk.attempt,
			worker: chunk.worker,
			frames: chunk.last_frame - chunk.first_frame + 1,
			ms: chunk.finished_at! - chunk.started_at!,
		});
		if (q.chunksLeft.get(id)!.n === 0) {
			q.toStitching.run(id);
		}
	});

	return {
		submitRender: async (render) => {
			const chunks = planChunks({durationInFrames: renderedRangeLength(render.job), firstFrame: renderedFrameRange(render.job)[0], framesPerChunk: render.job.framesPerChunk, chunkFrames: render.job.chunkFrames});
			db.transaction(() => {
				q.insertRender.run({
					id: render.id,
					owner: render.owner,
					job: JSON.stringify(render.job),
					created_at: render.createdAt,
					total_chunks: chunks.length,
					webhook_pending: render.job.webhook === null ? 0 : 1,
				});
				for (const chunk of chunks) {
					q.insertChunk.run(render.id, chunk.index, chunk.frameRange[0], chunk.frameRange[1]);
				}
				log(render.id, `queued: ${render.job.composition.durationInFrames} frames at ${render.job.composition.fps} fps, ${render.job.composition.width}x${render.job.composition.height}, ${chunks.length} chunks`);
			})();
			told.renderQueued({renderId: render.id, owner: render.owner, chunks: chunks.length, frames: renderedFrameCount(render.job)});
			wake();
			return readRender(render.id)!;
		},
		getRender: async (id) => readRender(id),
		getChunks: async (id) => q.chunks.all(id).map(toChunk),
		// Synchronous reads, so nothing moves the queue between them.
		getQueuePositions: async (ids) =>
			ids.map((id) => {
				const row = q.render.get(id);
				return row?.status === 'queued' ? q.queuedAhead.get(row.seq)!.n + 1 : null;
			}),
		listRenders: async ({owner, limit, offset}) => q.list.all(owner, limit, offset).map((row) => readRender(row.id)!),
		countQueued: async (owner) => q.queuedOf.get(owner)?.n ?? 0,
		countRenders: async () => ({queued: q.queued.get()!.n, running: q.running.get()!.n}),
		claimWebhook: async () => {
			const claimed = q.claimWebhook.get();
			return claimed === undefined ? null : readRender(claimed.id);
		},
		completeWebhook: async (id) => {
			q.completeWebhook.run(id);
		},
		listFinishedBefore: async (before, limit) => q.finishedBefore.all(before, limit).map((row) => row.id),
		deleteRender: async (id) => {
			db.transaction(() => q.deleteRender.forEach((statement) => statement.run(id)))();
		},
		cancelRender: async (id) => {
			const render = readRender(id);
			if (!render) {
				return null;
			}
			const cancelled = db.transaction(() => {
				if (!finish(id, 'cancelled', 'cancelled')) {
					return false;
				}
				addError(id, cancelledEntry());
				return true;
			})();
			if (cancelled) {
				events.emit('cancel', id);
				wake();
			}
			return readRender(id);
		},
		appendLog: async (id, line) => log(id, line),
		addError: async (id, entry) => {
			addError(id, entry);
		},
		getLog: async (id) => q.log.all(id).map((row) => `${new Date(row.at).toISOString()} ${row.line}`),

		claimTask: async (worker) => claim(worker),
		waitForWork: (timeoutMs) =>
			new Promise((resolve) => {
				const done = () => {
					clearTimeout(timer);
					events.off('work', done);
					resolve();
				};
				const timer = setTimeout(done, timeoutMs);
				events.on('work', done);
			}),
		releaseTask: async (task, worker) => {
			if (task.type === 'chunk') {
				q.releaseChunk.run(task.render.id, task.chunk.index);
				log(task.render.id, handedBackLine(task.chunk.index, worker));
			} else {
				q.releaseStitch.run(task.render.id);
				log(task.render.id, `stitch: handed back by ${worker}, which is stopping`);
			}
			wake();
		},
		reportChunkProgress: async (id, index, {renderedFrames, encodedFrames}) => {
			q.chunkProgress.run(renderedFrames, encodedFrames, id, index);
		},
		completeChunk: async (id, index, result) => {
			completeChunk(id, index, result);
			wake();
		},
		failChunk: async (id, index, failure) => {
			const result = failChunk(id, index, failure);
			wake();
			return result;
		},
		reportStitchProgress: async (id, frames) => {
			q.stitchProgress.run(frames, id);
		},
		completeRender: async (id, {outKey, outSize}) => {
			db.transaction(() => {
				if (q.complete.run(now(), outKey, outSize, id).changes > 0) {
					q.addBytes.run(outSize, id);
					const render = readRender(id)!;
					q.stitchProgress.run(renderedFrameCount(render.job), id);
					log(id, `done: ${outKey}, ${outSize} bytes, ${render.finishedAt! - render.createdAt} ms after submission`);
					told.renderFinished({
						renderId: id,
						status: 'done',
						createdAt: render.createdAt,
						finishedAt: render.finishedAt!,
						failure: null,
					});
				}
			})();
			wake();
		},
		failRender: async (id, error) => {
			db.transaction(() => {
				addError(id, error);
				finish(id, 'error', error.message);
			})();
			events.emit('cancel', id);
			wake();
		},
		// SQLite in this process: no connection to lose.
		problem: () => null,
		onCancel: (listener) => {
			events.on('cancel', listener);
			return () => events.off('cancel', listener);
		},
		close: async () => {
			events.removeAllListeners();
			db.close();
		},
	};
};
