import {MessageChannel, Worker as Thread} from 'node:worker_threads';
import type {Backend} from '../backend/backend.js';
import {serveBackendOverPort} from '../backend/backend-over-port.js';
import type {Config} from '../config/load-config.js';
import {applyWorkerMetric, type WorkerMetrics} from '../metrics/worker-metrics.js';
import type {FromRenderThread, RenderThreadData, ToRenderThread} from './render-thread.js';
import type {WorkerLog} from './start-worker.js';

export type RenderThread = {
	/** Resolves once the slots have their site bundle and browsers and take renders. */
	ready: Promise<void>;
	/** Lets the chunks in hand finish or hand back, closes the browsers, ends the thread. */
	stop: () => Promise<void>;
};

// Run from dist/ the thread is a .js file; run from src/ under tsx (which the thread inherits), .ts.
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './render-thread.ts' : './render-thread.js', import.meta.url);

/**
 * The worker slots of `framefarm serve` on a thread of their own, in the same process: they take
 * their tasks from this thread's backend through a MessagePort, and the API's event loop stays
 * free for requests while they render.
 */
export const startRenderThread = ({
	config,
	slots,
	backend,
	log,
	metrics,
}: {
	config: Config;
	slots: number;
	backend: Backend;
	log: WorkerLog;
	metrics: WorkerMetrics;
}): RenderThread => {
	const {port1, port2} = new MessageChannel();
	const endLink = serveBackendOverPort(backend, port1);
	const workerData: RenderThreadData = {config, slots, backendPort: port2};
	const thread = new Thread(ENTRY, {workerData, transferList: [port2]});

	let settle: {resolve: () => void; reject: (err: Error) => void};
	const ready = new Promise<void>((resolve, reject) => (settle = {resolve, reject}));
	const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
	let stopped: () => void = () => undefined;
	const stoppedOrExited = Promise.race([new Promise<void>((resolve) => (stopped = resolve)), exited]);

	thread.on('message', (message: FromRenderThread) => {
		if (message.type === 'ready') {
			settle.resolve();
		} else if (message.type === 'failed') {
			settle.reject(new Error(message.message));
		} else if (message.type === 'log') {
			log(message.line, message.fields);
		} else if (message.type === 'metric') {
			applyWorkerMetric(metrics, message);
		} else {
			stopped();
		}
	});
	thread.on('error', (err) => {
		settle.reject(err);
		// As when the slots ran on the main thread: an exception nothing caught ends the process, and
		// a restart resumes the chunks it had in hand, rather than a server that answers but never
		// renders again.
		process.nextTick(() => {
			throw err;
		});
	});

	return {
		ready,
		stop: async () => {
			thread.postMessage({type: 'stop'} satisfies ToRenderThread);
			await stoppedOrExited;
			await thread.terminate();
			endLink();
		},
	};
};
