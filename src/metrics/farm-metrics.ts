import {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} from 'prom-client';
import type {RenderEvents} from '../backend/render-events.js';
import type {WorkerMetrics} from './worker-metrics.js';

/** One process's metrics (serve or worker), in the Prometheus text format at GET /metrics. */
export type FarmMetrics = {
	registry: Registry;
	/** Counts the renders and chunks the backend of this process moves along. */
	events: RenderEvents;
	worker: WorkerMetrics;
	/** `route` is the route's pattern (never a render id or a key), so the label set stays bounded. */
	httpRequest: (request: {route: string; method: string; status: number; seconds: number}) => void;
	webhookDelivery: (outcome: 'delivered' | 'failed') => void;
	redisError: (operation: string) => void;
	/** Where the gauge of queued and running renders is read at each scrape (the API server's). */
	countRenders: (read: () => Promise<{queued: number; running: number}>) => void;
	/** Why this process cannot serve now, or null: the `framefarm_ready` gauge, read at each scrape. */
	readiness: (problem: () => string | null) => void;
};

const RENDER_SECONDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];
const CHUNK_SECONDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const HTTP_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export const createFarmMetrics = (): FarmMetrics => {
	const registry = new Registry();
	collectDefaultMetrics({register: registry});
	const registers = [registry];
	const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({name: `framefarm_${name}`, help, labelNames, registers});
	const histogram = (name: string, help: string, buckets: number[], labelNames: string[] = []) =>
		new Histogram({name: `framefarm_${name}`, help, buckets, labelNames, registers});

	const submitted = counter('renders_submitted_total', 'Renders accepted into the queue.');
	const finished = counter('renders_finished_total', 'Renders that ended, by status (done, error, cancelled).', ['status']);
	const queueWait = histogram('render_queue_wait_seconds', 'From submission to the render starting.', RENDER_SECONDS);
	const renderDuration = histogram('render_duration_seconds', 'From submission to the output stored, of renders that succeeded.', RENDER_SECONDS);
	const frames = counter('frames_rendered_total', 'Frames in finished chunks; rate() of it is frames rendered per second.');
	const attempts = counter('chunk_attempts_total', 'Chunk attempts started.');
	const failures = counter('chunk_failures_total', 'Chunk attempts that failed (retried or not).');
	const retries = counter('chunk_retries_total', 'Failed chunk attempts that are tried again.');
	const lost = counter('chunks_lost_total', 'Chunk attempts lost with their worker (it died or restarted); rendered again.');
	const chunkDuration = histogram('chunk_duration_seconds', 'From a chunk taken to its files stored, of chunks that succeeded.', CHUNK_SECONDS);
	const chunkSetUp = histogram('chunk_setup_seconds', 'From a chunk taken to its first frame rendered (page, composition, browser).', CHUNK_SECONDS);
	const stitchDuration = histogram('stitch_duration_seconds', 'From a stitch taken to the output stored.', CHUNK_SECONDS);
	const webhooks = counter('webhook_deliveries_total', 'Webhooks by outcome: delivered, or failed after every retry.', ['outcome']);
	const blocked = counter('network_blocked_requests_total', 'Requests of rendered pages that the network policy blocked.');
	const restarts = counter('browser_restarts_total', 'Browsers closed after a failed chunk and opened again.');
	const redisErrors = counter('redis_errors_total', 'Failed Redis calls by backend operation, and reconnections (operation "connection").', ['operation']);
	const storageErrors = counter('storage_errors_total', 'Failed bucket calls after their retries, by operation.', ['operation']);
	const httpRequests = counter('http_requests_total', 'HTTP requests by method, route pattern and status code.', ['method', 'route', 'status_code']);
	const http = histogram('http_request_duration_seconds', 'How long HTTP requests took, by method, route pattern and status code.', HTTP_SECONDS, ['method', 'route', 'status_code']);
	const slots = new Gauge({name: 'framefarm_worker_slots', help: 'Worker slots by state (busy, idle).', labelNames: ['state'], registers});
	const browserMemory = new Gauge({name: 'framefarm_browser_memory_bytes', help: "Memory of this process's render browsers together (resident set sizes)", registers});

	// Zero from the start, so that rate() and alerts see the first increase.
	for (const status of ['done', 'error', 'cancelled']) {
		finished.inc({status}, 0);
	}
	for (const outcome of ['delivered', 'failed']) {
		webhooks.inc({outcome}, 0);
	}

	let readRenders: (() => Promise<{queued: number; running: number}>) | null = null;
	new Gauge({
		name: 'framefarm_renders',
		help: 'Renders now queued or running (read from the backend at each scrape of an API server).',
		labelNames: ['state'],
		registers,
		async collect() {
			if (readRenders === null) {
				return;
			}
			// A scrape during an outage still answers: the other metrics tell of the outage.
			const counts = await readRenders().catch(() => null);
			if (counts !== null) {
				this.set({state: 'queued'}, counts.queued);
				this.set({state: 'running'}, counts.running);
			}
		},
	});

	let problem: () => string | null = () => null;
	new Gauge({
		name: 'framefarm_ready',
		help: 'Whether this process can serve (1) or not (0), as GET /ready says (without its bucket probe).',
		registers,
		collect() {
			this.set(problem() === null ? 1 : 0);
		},
	});

	return {
		registry,
		events: {
			renderQueued: () => submitted.inc(),
			renderStarted: ({createdAt, startedAt}) => queueWait.observe((startedAt - createdAt) / 1000),
			renderFinished: ({status, createdAt, finishedAt}) => {
				finished.inc({status});
				if (status === 'done') {
					renderDuration.observe((finishedAt - createdAt) / 1000);
				}
			},
			chunkStarted: () => attempts.inc(),
			chunkDone: ({frames: count, ms}) => {
				frames.inc(count);
				chunkDuration.observe(ms / 1000);
			},
			chunkFailed: ({willRetry}) => {
				failures.inc();
				if (willRetry) {
					retries.inc();
				}
			},
			chunkLost: () => lost.inc(),
		},
		worker: {
			chunkSetUp: (seconds) => chunkSetUp.observe(seconds),
			stitched: (seconds) => stitchDuration.observe(seconds),
			requestBlocked: () => blocked.inc(),
			browserRestarted: () => restarts.inc(),
			slots: (busy, idle) => {
				slots.set({state: 'busy'}, busy);
				slots.set({state: 'idle'}, idle);
			},
			browserMemory: (bytes) => browserMemory.set(bytes),
			storageError: (operation) => storageErrors.inc({operation}),
		},
		httpRequest: ({route, method, status, seconds}) => {
			const labels = {method, route, status_code: String(status)};
			httpRequests.inc(labels);
			http.observe(labels, seconds);
		},
		webhookDelivery: (outcome) => webhooks.inc({outcome}),
		redisError: (operation) => redisErrors.inc({operation}),
		countRenders: (read) => {
			readRenders = read;
		},
		readiness: (check) => {
			problem = check;
		},
	};
};
