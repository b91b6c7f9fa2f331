import crypto from 'node:crypto';
import {FlowProducer, Queue, Worker, type Job} from 'bullmq';
import {Redis} from 'ioredis';
import {planChunks} from '../../render/plan-chunks.js';
import {chunkAttempts, renderedFrameCount, renderedFrameRange, renderedRangeLength} from '../../render/rendered-frames.js';
import type {Backend, Task} from '../backend.js';
import {attemptStartLine, chunkDoneLine, chunkFailureLogLine, handedBackLine, lostLine, lostMessage} from '../chunk-log.js';
import {cancelledEntry, chunkErrorEntry, chunkFailureMessage} from '../render-failures.js';
import type {ChunkRecord, RenderErrorEntry, RenderRecord} from '../render-record.js';
import {countFailures} from '../../metrics/count-failures.js';
import {NO_RENDER_EVENTS, type RenderEvents} from '../render-events.js';
import {createRedisState} from './redis-state.js';
import {redisWhere} from './redis-where.js';
import {checkRedisDurability} from './check-redis-durability.js';
import {watchRedis} from './watch-redis.js';

export type BullmqBackendOptions = {
	redisUrl: string;
	/** Namespaces every key, so several farms (or test runs) share one Redis. */
	prefix: string;
	maxRenders: number;
	chunkRetries: number;
	/** How long a job's lock lasts without renewal: a dead worker's chunk is handed out again after about this long. */
	lockDurationMs: number;
	/** A claimed webhook not completed within this long is handed out again (its API server died). */
	webhookLeaseMs?: number;
	/** Where the backend tells of Redis going away and coming back (once each, not per retry). */
	log?: (line: string) => void;
	events?: RenderEvents;
	/** Told of every failed call, by operation (the backend's method, or "connection" for a reconnection): the metrics. */
	onRedisError?: (operation: string) => void;
};

type ChunkJobData = {renderId: string; index: number};
type RenderJobData = {renderId: string};
type Held = {job: Job; token: string};

const QUEUES = {renders: 'renders', chunks: 'chunks', stitch: 'stitch'} as const;
// BullMQ refuses custom ids that look like integers, and a render id may be all digits.
const renderJobId = (renderId: string) => `r_${renderId}`;
const chunkJobId = (renderId: string, index: number) => `c_${renderId}_${index}`;
const CHUNK_JOB_ID = /^c_([a-z0-9]+)_(\d+)$/;
const IDLE_POLL_MS = 200;
// A webhook's delivery takes at most about 20 s (3 attempts of 5 s, 3 s of backoff): a claim older
// than this was held by an API server that died, and another sends it.
const DEFAULT_WEBHOOK_LEASE_MS = 120_000;

/**
 * The distributed backend. BullMQ does the queueing: a render waits in the `renders` queue
 * (global concurrency = maxRenders, so a render holds a place while it runs); when it starts, a
 * flow is added: a `stitch` parent job with one `chunks` child per chunk, so the stitch is handed
 * out only when every chunk is done. Retries are BullMQ attempts; a worker that dies loses its
 * lock and BullMQ's stalled-job check hands the chunk to another worker. Jobs are taken with
 * getNextJob(), which fits the pull of Backend.claimTask(); this process renews the locks of the
 * jobs it holds.
 */
export const createBullmqBackend = async (options: BullmqBackendOptions): Promise<Backend> => {
	// Commands wait while Redis is away (no retry limit) and go through when it is back.
	const connection = new Redis(options.redisUrl, {maxRetriesPerRequest: null});
	const subscriber = new Redis(options.redisUrl, {maxRetriesPerRequest: null});
	const state = createRedisState(connection, options.prefix);
	const bull = {connection, prefix: options.prefix};
	const queues = {
		renders: new Queue<RenderJobData>(QUEUES.renders, bull),
		chunks: new Queue<ChunkJobData>(QUEUES.chunks, bull),
		stitch: new Queue<RenderJobData>(QUEUES.stitch, bull),
	};
	const flows = new FlowProducer(bull);
	const where = redisWhere(options.redisUrl);
	const log = options.log ?? (() => undefined);
	const told = options.events ?? NO_RENDER_EVENTS;
	const onRedisError = options.onRedisError ?? (() => undefined);
	const health = watchRedis({connection, where, log});
	// Each attempt to connect again after a connection was lost or refused. (Not its 'error'
	// events: every BullMQ object re-emits them, so one failure would count several times.)
	for (const redis of [connection, subscriber]) {
		redis.on('reconnecting', () => onRedisError('connection'));
	}
	// Every ioredis and BullMQ object re-emits its connection's errors: unhandled, one would end the process.
	const emitters: {on: (event: 'error', listener: (err: Error) => void) => unknown}[] = [connection, subscriber, flows, ...Object.values(queues)];
	for (const emitter of emitters) {
		emitter.on('error', health.onError);
	}
	try {
		await checkRedisDurability(connection, where, log);
		await queues.renders.setGlobalConcurrency(options.maxRenders);
	} catch (err) {
		// Refused: nothing is left open to keep the process alive.
		health.stop();
		await Promise.all([...Object.values(queues).map((queue) => queue.close()), flows.close()]);
		subscriber.disconnect();
		connection.disconnect();
		throw err;
	}
	// Workers without a processor: jobs are fetched with getNextJob() when claimTask() asks.
	let workers: {renders: Worker; chunks: Worker; stitch: Worker} | null = null;
	const processToken = crypto.randomUUID();
	const heldRenders = new Map<string, Held>();
	const heldChunks = new Map<string, Held>();
	const heldStitches = new Map<string, Held>();
	const chunkKey = (id: string, index: number) => `${id}:${index}`;

	const startWorkers = () => {
		if (workers !== null) {
			return workers;
		}
		const workerOptions = {...bull, autorun: false, lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs, maxStalledCount: 3};
		workers = {
			renders: new Worker<RenderJobData>(QUEUES.renders, null, workerOptions),
			chunks: new Worker<ChunkJobData>(QUEUES.chunks, null, workerOptions),
			stitch: new Worker<RenderJobData>(QUEUES.stitch, null, workerOptions),
		};
		workers.chunks.on('stalled', (jobId) => void onChunkLost(jobId).catch(health.onError));
		for (const worker of Object.values(workers)) {
			worker.on('error', health.onError);
			void worker.startStalledCheckTimer();
		}
		return workers;
	};

	// A worker that held this chunk stopped renewing its lock (it died); BullMQ put the job back.
	const onChunkLost = async (jobId: string) => {
		const [, renderId, index] = CHUNK_JOB_ID.exec(jobId) ?? [];
		if (renderId === undefined || index === undefined) {
			return;
		}
		const [chunk, render] = await Promise.all([state.getChunk(renderId, Number(index)), state.getRender(renderId)]);
		if (chunk === null || render === null || chunk.status !== 'rendering') {
			return;
		}
		const lost = lostMessage(chunk.worker);
		await state.addError(renderId, {
			type: 'renderer',
			message: lost,
			name: 'WorkerLostError',
			stack: '',
			frame: null,
			chunk: chunk.index,
			isFatal: false,
			attempt: chunk.attempt,
			willRetry: true,
			totalAttempts: chunkAttempts(render.job, options.chunkRetries),
			explanation: 'BullMQ found the job stalled: its lock expired.',
		});
		await state.putChunk({...chunk, status: 'pending'});
		await state.log(renderId, lostLine(chunk.index, chunk.worker));
		told.chunkLost({renderId, chunk: chunk.index, worker: chunk.worker});
	};

	const renewLocks = setInterval(() => {
		for (const held of [...heldRenders.values(), ...heldChunks.values(), ...heldStitches.values()]) {
			held.job.extendLock(held.token, options.lockDurationMs).catch(() => undefined);
		}
		void releaseFinishedRenders().catch(health.onError);
	}, Math.max(500, Math.floor(options.lockDurationMs / 3)));

	const cancelListeners = new Set<(id: string) => void>();
	await subscriber.subscribe(state.cancelChannel);
	subscriber.on('message', (_channel, id: string) => {
		for (const listener of cancelListeners) {
			listener(id);
		}
	});
	const announceStop = (id: string) => connection.publish(state.cancelChannel, id);

	const isFinished = (render: RenderRecord | null) => render === null || ['done', 'error', 'cancelled'].includes(render.status);

	// A finished render gives its place in the renders queue to the next one.
	const releaseFinishedRenders = async () => {
		for (const [id, held] of heldRenders) {
			if (isFinished(await state.getRender(id))) {
				heldRenders.delete(id);
				await held.job.moveToCompleted('finished', held.token, false).catch(() => undefined);
			}
		}
	};

	const removeFlow = async (id: string) => {
		await queues.stitch.remove(renderJobId(id), {removeChildren: true}).catch(() => undefined);
		await queues.renders.remove(renderJobId(id)).catch(() => undefined);
	};

	const startNextRender = async (): Promise<boolean> => {
		const token = `${processToken}:render`;
		const job = (await startWorkers().renders.getNextJob(token, {block: false})) as Job<RenderJobData> | undefined;
		if (!job) {
			return false;
		}
		const id = job.data.renderId;
		const render = await state.getRender(id);
		if (render === null || isFinished(render)) {
			await job.moveToCompleted('skipped', token, false).catch(() => undefined);
			return true;
		}
		heldRenders.set(id, {job, token});
		// 'rendering' before its chunk jobs exist: a worker that took a chunk of a render still
		// 'queued' would skip it as stale, its stitch would follow with no chunk done, and the render
		// would hold its place among the running ones for good (seen under load with 1-chunk renders).
		const startedAt = Date.now();
		if (await state.transition(id, ['queued'], 'rendering', {startedAt})) {
			await state.log(id, `started: ${render.totalChunks} chunks`);
			told.renderStarted({renderId: id, createdAt: render.createdAt, startedAt});
		}
		// Idempotent: taken again after its holder died (or its lock ran out while Redis was away),
		// the same job ids add nothing new; chunks already done (their jobs removed) are not added again.
		const chunks = (await state.getChunks(id)).filter((chunk) => chunk.status !== 'done');
		await flows.add({
			name: 'stitch',
			queueName: QUEUES.stitch,
			data: {renderId: id},
			opts: {jobId: renderJobId(id)},
			children: chunks.map((chunk) => ({
				name: 'chunk',
				queueName: QUEUES.chunks,
				data: {renderId: id, index: chunk.index},
				opts: {jobId: chunkJobId(id, chunk.index), attempts: chunkAttempts(render.job, options.chunkRetries), removeOnComplete: true, removeOnFail: true},
			})),
		});
		return true;
	};

	const claimStitch = async (worker: string): Promise<Task | null> => {
		const token = `${processToken}:stitch:${worker}`;
		const job = (await startWorkers().stitch.getNextJob(token, {block: false})) as Job<RenderJobData> | undefined;
		if (!job) {
			return null;
		}
		const render = await state.getRender(job.data.renderId);
		if (render === null || render.status !== 'stitching') {
			await job.moveToCompleted('skipped', token, false).catch(() => undefined);
			return claimStitch(worker);
		}
		heldStitches.set(render.id, {job, token});
		await state.log(render.id, `stitching on ${worker}`);
		return {type: 'stitch', render, chunks: await state.getChunks(render.id)};
	};

	const claimChunk = async (worker: string): Promise<Task | null> => {
		const token = `${processToken}:chunk:${worker}`;
		const job = (await startWorkers().chunks.getNextJob(token, {block: false})) as Job<ChunkJobData> | undefined;
		if (!job) {
			return null;
		}
		const {renderId, index} = job.data;
		const [render, chunk] = await Promise.all([state.getRender(renderId), state.getChunk(renderId, index)]);
		// A job handed out again for a chunk already done (its lock ran out while Redis was away) is not rendered twice.
		if (render === null || chunk === null || render.status !== 'rendering' || chunk.status === 'done') {
			await job.moveToCompleted('skipped', token, false).catch(() => undefined);
			return claimChunk(worker);
		}
		const claimed: ChunkRecord = {...chunk, status: 'rendering', attempt: chunk.attempt + 1, startedAt: Date.now(), worker};
		// Done between the read above and now, by the worker whose lock had run out.
		if (!(await state.putChunk(claimed))) {
			await job.moveToCompleted('skipped', token, false).catch(() => undefined);
			return claimChunk(worker);
		}
		heldChunks.set(chunkKey(renderId, index), {job, token});
		await state.log(renderId, attemptStartLine(index, chunk.frameRange, claimed.attempt, worker));
		told.chunkStarted({renderId, chunk: index, attempt: claimed.attempt, worker});
		return {type: 'chunk', render, chunk: claimed};
	};

	const failRenderWith = async (id: string, failure: string, entry: RenderErrorEntry | null) => {
		const finishedAt = Date.now();
		if (!(await state.transition(id, ['queued', 'rendering', 'stitching'], 'error', {finishedAt, failure}))) {
			return;
		}
		const render = await state.getRender(id);
		told.renderFinished({renderId: id, status: 'error', createdAt: render?.createdAt ?? finishedAt, finishedAt, failure});
		if (entry) {
			await state.addError(id, entry);
		}
		await state.log(id, `error: ${failure}`);
		await removeFlow(id);
		await announceStop(id);
	};

	const backend: Backend = {
		submitRender: async ({id, owner, job, createdAt}) => {
			const plan = planChunks({durationInFrames: renderedRangeLength(job), firstFrame: renderedFrameRange(job)[0], framesPerChunk: job.framesPerChunk, chunkFrames: job.chunkFrames});
			const seq = await state.nextSeq();
			await state.createRender(
				{id, seq, owner, status: 'queued', job, createdAt, startedAt: null, finishedAt: null, totalChunks: plan.length, framesStitched: 0, outKey: null, outSize: null, bytesStored: 0, failure: null},
				plan.map((chunk) => ({
					renderId: id,
					index: chunk.index,
					frameRange: chunk.frameRange,
					status: 'pending',
					attempt: 0,
					renderedFrames: 0,
					encodedFrames: 0,
					startedAt: null,
					finishedAt: null,
					busyMs: 0,
					worker: null,
				})),
			);
			await state.log(id, `queued: ${job.composition.durationInFrames} frames at ${job.composition.fps} fps, ${job.composition.width}x${job.composition.height}, ${plan.length} chunks`);
			await queues.renders.add('render', {renderId: id}, {jobId: renderJobId(id), removeOnComplete: true, removeOnFail: true});
			told.renderQueued({renderId: id, owner, chunks: plan.length, frames: renderedFrameCount(job)});
			return (await state.getRender(id))!;
		},
		getRender: (id) => state.getRender(id),
		getChunks: (id) => state.getChunks(id),
		// Every API server asks Redis, so positions agree whichever server took the render.
		getQueuePositions: (ids) => state.queuePositions(ids),
		claimWebhook: async () => {
			const id = await state.claimWebhook(options.webhookLeaseMs ?? DEFAULT_WEBHOOK_LEASE_MS);
			return id === null ? null : state.getRender(id);
		},
		completeWebhook: async (id) => {
			await state.completeWebhook(id);
		},
		listFinishedBefore: (before, limit) => state.listFinishedBefore(before, limit),
		deleteRender: (id) => state.deleteRender(id),
		countQueued: (owner) => state.countQueued(owner),
		// A running render holds its job in the renders queue (active) until it finishes.
		countRenders: async () => {
			const [queued, running] = await Promise.all([state.countAllQueued(), queues.renders.getActiveCount()]);
			return {queued, running};
		},
		listRenders: async ({owner, limit, offset}) => {
			const ids = await state.listIds(owner, offset, limit);
			return (await Promise.all(ids.map((id) => state.getRender(id)))).filter((render): render is RenderRecord => render !== null);
		},
		cancelRender: async (id) => {
			const finishedAt = Date.now();
			const cancelled = await state.transition(id, ['queued', 'rendering', 'stitching'], 'cancelled', {finishedAt, failure: 'cancelled'});
			if (cancelled) {
				await state.addError(id, cancelledEntry());
				await state.log(id, 'cancelled: cancelled');
				await removeFlow(id);
				await announceStop(id);
			}
			const render = await state.getRender(id);
			if (cancelled && render !== null) {
				told.renderFinished({renderId: id, status: 'cancelled', createdAt: render.createdAt, finishedAt, failure: 'cancelled'});
			}
			return render;
		},
		appendLog: async (id, line) => {
			await state.log(id, line);
		},
		addError: async (id, entry) => {
			await state.addError(id, entry);
		},
		getLog: (id) => state.getLog(id),

		claimTask: async (worker) => {
			await releaseFinishedRenders();
			while (await startNextRender()) {
				// Start every render there is room for before handing out work.
			}
			return (await claimStitch(worker)) ?? (await claimChunk(worker));
		},
		waitForWork: (timeoutMs) => new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, IDLE_POLL_MS))),
		releaseTask: async (task, worker) => {
			const id = task.render.id;
			if (task.type === 'chunk') {
				const {index} = task.chunk;
				const held = heldChunks.get(chunkKey(id, index));
				heldChunks.delete(chunkKey(id, index));
				const chunk = await state.getChunk(id, index);
				if (chunk?.status === 'rendering') {
					await state.putChunk({...chunk, status: 'pending', attempt: Math.max(chunk.attempt - 1, 0)});
				}
				await held?.job.moveToWait(held.token).catch(() => undefined);
				await state.log(id, handedBackLine(index, worker));
			} else {
				const held = heldStitches.get(id);
				heldStitches.delete(id);
				await held?.job.moveToWait(held.token).catch(() => undefined);
				await state.log(id, `stitch: handed back by ${worker}, which is stopping`);
			}
		},
		reportChunkProgress: async (id, index, progress) => {
			const chunk = await state.getChunk(id, index);
			if (chunk === null || chunk.status !== 'rendering') {
				return;
			}
			await state.putChunk({
				...chunk,
				renderedFrames: Math.max(chunk.renderedFrames, progress.renderedFrames),
				encodedFrames: Math.max(chunk.encodedFrames, progress.encodedFrames),
			});
			await heldChunks.get(chunkKey(id, index))?.job.updateProgress(progress);
		},
		completeChunk: async (id, index, {busyMs, bytes}) => {
			const held = heldChunks.get(chunkKey(id, index));
			heldChunks.delete(chunkKey(id, index));
			const [render, chunk] = await Promise.all([state.getRender(id), state.getChunk(id, index)]);
			if (render?.status === 'rendering' && chunk !== null && chunk.status === 'rendering') {
				const frames = chunk.frameRange[1] - chunk.frameRange[0] + 1;
				const finishedAt = Date.now();
				await state.putChunk({...chunk, status: 'done', finishedAt, busyMs: chunk.busyMs + busyMs, renderedFrames: frames, encodedFrames: frames});
				await state.addBytes(id, bytes);
				await state.log(id, chunkDoneLine(index, finishedAt - (chunk.startedAt ?? finishedAt), chunk.worker));
				told.chunkDone({renderId: id, chunk: index, attempt: chunk.attempt, worker: chunk.worker, frames, ms: finishedAt - (chunk.startedAt ?? finishedAt)});
				if ((await state.getChunks(id)).every((c) => c.status === 'done')) {
					await state.transition(id, ['rendering'], 'stitching');
				}
			}
			// Completing the last child moves the stitch parent to its queue.
			await held?.job.moveToCompleted('done', held.token, false).catch(() => undefined);
		},
		failChunk: async (id, index, failure) => {
			const held = heldChunks.get(chunkKey(id, index));
			heldChunks.delete(chunkKey(id, index));
			const [render, chunk] = await Promise.all([state.getRender(id), state.getChunk(id, index)]);
			if (render?.status !== 'rendering' || chunk === null) {
				// Cancelled or failed already: the attempt was stopped on purpose.
				await held?.job.moveToCompleted('stopped', held.token, false).catch(() => undefined);
				return {willRetry: false};
			}
			const totalAttempts = chunkAttempts(render.job, options.chunkRetries);
			const attemptsLeft = held ? held.job.attemptsMade + 1 < totalAttempts : false;
			const willRetry = attemptsLeft && !failure.unrecoverable;
			const entry = chunkErrorEntry(failure, chunk, {willRetry, totalAttempts});
			await state.putChunk({...chunk, status: 'pending', busyMs: chunk.busyMs + failure.busyMs});
			await state.log(id, chunkFailureLogLine(chunk, failure, {willRetry, totalAttempts}));
			told.chunkFailed({renderId: id, chunk: index, attempt: chunk.attempt, worker: chunk.worker, willRetry, message: failure.message});
			if (willRetry) {
				await state.addError(id, entry);
				// BullMQ counts the attempt and puts the job back in the queue.
				await held?.job.moveToFailed(new Error(failure.message), held.token, false).catch(() => undefined);
				return {willRetry: true};
			}
			held?.job.discard();
			await held?.job.moveToFailed(new Error(failure.message), held.token, false).catch(() => undefined);
			await failRenderWith(id, chunkFailureMessage(chunk, failure, totalAttempts), entry);
			return {willRetry: false};
		},
		reportStitchProgress: async (id, frames) => {
			await state.raise(id, 'framesStitched', frames);
		},
		completeRender: async (id, {outKey, outSize}) => {
			const render = await state.getRender(id);
			const finishedAt = Date.now();
			const frames = render === null ? 0 : renderedFrameCount(render.job);
			if (render && (await state.transition(id, ['stitching'], 'done', {finishedAt, outKey, outSize, framesStitched: frames}))) {
				await state.addBytes(id, outSize);
				await state.log(id, `done: ${outKey}, ${outSize} bytes, ${finishedAt - render.createdAt} ms after submission`);
				told.renderFinished({renderId: id, status: 'done', createdAt: render.createdAt, finishedAt, failure: null});
			}
			const held = heldStitches.get(id);
			heldStitches.delete(id);
			await held?.job.moveToCompleted('done', held.token, false).catch(() => undefined);
			await releaseFinishedRenders();
		},
		failRender: async (id, error) => {
			const held = heldStitches.get(id);
			heldStitches.delete(id);
			held?.job.discard();
			await held?.job.moveToFailed(new Error(error.message), held.token, false).catch(() => undefined);
			await failRenderWith(id, error.message, error);
			await releaseFinishedRenders();
		},
		onCancel: (listener) => {
			cancelListeners.add(listener);
			return () => cancelListeners.delete(listener);
		},
		problem: health.problem,
		close: async () => {
			clearInterval(renewLocks);
			health.stop();
			cancelListeners.clear();
			await Promise.all(Object.values(workers ?? {}).map((worker) => (worker as Worker).close(true).catch(() => undefined)));
			await Promise.all([...Object.values(queues).map((queue) => queue.close()), flows.close()]);
			subscriber.disconnect();
			connection.disconnect();
		},
	};
	return countFailures(backend, onRedisError);
};
