import os from 'node:os';
import path from 'node:path';
import type {Backend, Task} from '../backend/backend.js';
import type {RenderJob} from '../backend/render-record.js';
import {slotsBesideFirstChunk} from '../config/default-slots.js';
import {createBrowserSlot, type BrowserSlot} from '../render/browser-slot.js';
import type {BrowserChoice} from '../render/find-browser.js';
import {createNetworkPolicy} from '../render/network/network-policy.js';
import type {RenderLimits} from '../render/render-chunk.js';
import {startSiteServer} from '../render/site-server.js';
import {createSiteCache} from '../sites/site-cache.js';
import type {Storage} from '../storage/storage.js';
import {NO_WORKER_METRICS, type WorkerMetrics} from '../metrics/worker-metrics.js';
import {createFirstChunkGate} from './first-chunk-gate.js';
import {chunksFolder, liveFolder} from './render-keys.js';
import {runChunkTask} from './run-chunk-task.js';
import {runStitchTask} from './run-stitch-task.js';
import {WorkerStopping} from './worker-stopping.js';

/** Where a worker tells of trouble it rides out, with the fields of the log line (the slot's `worker`). */
export type WorkerLog = (message: string, fields?: Record<string, string | number>) => void;

export type Worker = {
	readonly name: string;
	/** Why the worker cannot render yet (no browser launched, the backend away), or null: its readiness. */
	problem: () => string | null;
	/** Stops taking tasks, lets the ones in hand finish or hand back, closes the browsers. */
	stop: () => Promise<void>;
};

const IDLE_WAIT_MS = 1000;
// How often the browsers' memory is read for the metrics: a few /proc reads, no page involved.
const MEMORY_SAMPLE_MS = 10_000;
// Longest the other chunks of a render wait for its first chunk (set-up takes 0.3-0.5 s, the first
// chunk of a render planned for watching 0.8-1 s in all on the light composition).
const FIRST_CHUNK_WAIT_MS = 1000;

/**
 * Worker slots that take tasks from the backend until stopped: each slot renders one chunk at a
 * time on its own warm browser, or stitches a render whose chunks are all done. Their pages load
 * the site from the worker's own site server.
 */
export const startWorker = async ({
	backend,
	storage,
	siteDir,
	browser,
	slots: slotCount,
	limits,
	allowedOrigins,
	name = `${os.hostname()}:${process.pid}`,
	log = () => undefined,
	metrics = NO_WORKER_METRICS,
	liveStream = true,
}: {
	backend: Backend;
	storage: Storage;
	/** The bundled site (bundleSite()). */
	siteDir: string;
	browser: BrowserChoice;
	slots: number;
	limits: RenderLimits;
	/** Origins rendered pages may fetch besides the bundle server (FRAMEFARM_ALLOWED_ORIGINS). */
	allowedOrigins: readonly string[];
	name?: string;
	/** Where the worker tells of trouble it rides out (the backend out of reach). */
	log?: WorkerLog;
	metrics?: WorkerMetrics;
	/** Whether chunks of h264 renders also become segments of the render's live stream (the farm's renders). */
	liveStream?: boolean;
}): Promise<Worker> => {
	// Deployed sites are fetched into the built-in site's cache dir, so one server serves them all.
	const cacheDir = path.dirname(siteDir);
	const site = await startSiteServer(cacheDir);
	const siteCache = createSiteCache({cacheDir, storage});
	const serveUrlOf = async (job: RenderJob) => site.urlOf(job.site.kind === 'builtin' ? path.basename(siteDir) : await siteCache.ensure(job.site));
	const stopping = new AbortController();
	const inFlight = new Map<AbortController, string>();
	const policy = createNetworkPolicy({allowedOrigins, siteOrigin: site.origin});
	const slots = Array.from({length: slotCount}, (_, index) => createBrowserSlot(index, browser, policy, site.origin, {onRestart: metrics.browserRestarted}));
	// Each slot's encoder takes its share of the cores, so the slots' encoders do not crowd them.
	const encoderThreads = Math.max(1, Math.floor(os.availableParallelism() / slotCount));
	let busy = 0;
	const countBusy = (change: number) => {
		busy += change;
		metrics.slots(busy, slotCount - busy);
	};
	countBusy(0);
	const memoryTimer = setInterval(() => {
		void Promise.all(slots.map((slot) => slot.memoryBytes())).then((sizes) => metrics.browserMemory(sizes.reduce((sum, size) => sum + size, 0)));
	}, MEMORY_SAMPLE_MS);
	memoryTimer.unref();
	// Only the first chunk sets up at once: with one renderer process a browser and the site
	// cached, a page sets up in about 250 ms, and letting a second chunk set up beside it (one per
	// core) delayed the first frame by about 50 ms, while renders took as long within the noise.
	// Slots beyond one a core wait for the first chunk to end: beside it they delayed its segment.
	const firstChunk = createFirstChunkGate({startAtOnce: 1, beforeFirstChunkEnds: slotsBesideFirstChunk(), maxWaitMs: FIRST_CHUNK_WAIT_MS});

	// A cancelled or failed render leaves no chunk files behind: whoever finishes last removes them.
	const removeChunksIfFinished = async (renderId: string) => {
		const status = (await backend.getRender(renderId))?.status;
		if ([...inFlight.values()].includes(renderId)) {
			return;
		}
		// A failed render's live stream stays, to be watched up to where it failed; a cancelled one goes.
		const folders = status === 'cancelled' ? [chunksFolder(renderId), liveFolder(renderId)] : status === 'error' ? [chunksFolder(renderId)] : [];
		await Promise.all(folders.map((folder) => storage.deletePrefix(folder).catch(() => undefined)));
	};

	const unsubscribe = backend.onCancel((renderId) => {
		for (const [controller, id] of inFlight) {
			if (id === renderId) {
				controller.abort(new Error('cancelled'));
			}
		}
		void removeChunksIfFinished(renderId);
	});

	const runTask = async (task: Task, slot: BrowserSlot, slotName: string) => {
		const controller = new AbortController();
		inFlight.set(controller, task.render.id);
		const handBack = () => backend.releaseTask(task, slotName);
		countBusy(1);
		try {
			if (task.type === 'chunk') {
				await runChunkTask({render: task.render, chunk: task.chunk, slot, serveUrlOf, limits, policy, backend, storage, signal: controller.signal, handBack, firstChunk, metrics, liveStream, encoderThreads});
			} else {
				await runStitchTask({render: task.render, chunks: task.chunks, backend, storage, signal: controller.signal, handBack, metrics});
			}
		} finally {
			countBusy(-1);
			inFlight.delete(controller);
			await removeChunksIfFinished(task.render.id).catch(() => undefined);
		}
	};

	const runSlot = async (slot: BrowserSlot) => {
		const slotName = `${name}/slot-${slot.index}`;
		// Open the browser now, so the first chunk does not wait for it.
		slot.browser().catch(() => undefined);
		let failing = false;
		while (!stopping.signal.aborted) {
			const task = await backend.claimTask(slotName).then(
				(claimed) => {
					if (failing) {
						log('the backend answers again', {worker: slotName});
					}
					failing = false;
					return claimed;
				},
				(err: unknown) => {
					// Said once per outage, not once per retry.
					if (!failing) {
						log(`could not take work from the backend, retrying: ${(err as Error).message}`, {worker: slotName});
					}
					failing = true;
					return null;
				},
			);
			if (task === null) {
				await backend.waitForWork(IDLE_WAIT_MS);
				continue;
			}
			// A task whose backend calls failed (Redis gone past its retries) is left to the backend's
			// own recovery (its lock runs out, another slot takes it); the slot goes on.
			await runTask(task, slot, slotName).catch(async (err: unknown) => {
				log(`the ${task.type} could not be reported: ${(err as Error).message}`, {worker: slotName, renderId: task.render.id, ...(task.type === 'chunk' ? {chunk: task.chunk.index} : {})});
				await backend.waitForWork(IDLE_WAIT_MS).catch(() => undefined);
			});
		}
	};

	const running = Promise.all(slots.map(runSlot));

	return {
		name,
		problem: () => backend.problem() ?? (slots.some((slot) => slot.launched()) ? null : 'No browser has launched yet'),
		stop: async () => {
			clearInterval(memoryTimer);
			stopping.abort();
			unsubscribe();
			// Remotion closes its browsers on SIGTERM, so work in hand cannot finish: give it back.
			for (const controller of inFlight.keys()) {
				controller.abort(new WorkerStopping('the worker is stopping'));
			}
			await running;
			await Promise.all(slots.map((slot) => slot.close()));
			await site.close();
		},
	};
};
