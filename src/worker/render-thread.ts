import {parentPort, workerData, type MessagePort} from 'node:worker_threads';
import {backendOverPort} from '../backend/backend-over-port.js';
import type {Config} from '../config/load-config.js';
import {createStorage} from '../storage/create-storage.js';
import {NO_FILE_URLS} from '../storage/file-url-signer.js';
import {workerMetricsOverPost, type WorkerMetricMessage} from '../metrics/worker-metrics.js';
import {startConfiguredWorker} from './start-configured-worker.js';
import type {Worker} from './start-worker.js';
import {RENDER_NICE, setThreadIdle, setThreadNice} from './thread-priority.js';

// The worker thread of `framefarm serve`: its slots render here, off the API's event loop.
// Remotion spends the thread's time on screenshots, frames piped to ffmpeg and page set-up
// (tens to hundreds of ms at a time), which progress requests used to wait behind.

export type RenderThreadData = {config: Config; slots: number; backendPort: MessagePort};
export type ToRenderThread = {type: 'stop'};
export type FromRenderThread =
	| {type: 'ready'}
	| {type: 'failed'; message: string}
	| {type: 'log'; line: string; fields: Record<string, string | number>}
	| WorkerMetricMessage
	| {type: 'stopped'};

const {config, slots, backendPort} = workerData as RenderThreadData;
// In the background, the renders yield to the API thread, and so does every process started from
// here: nice 19, and the idle class where Linux allows it (the nice value is what is left elsewhere).
if (config.renderPriority === 'background') {
	setThreadNice(RENDER_NICE);
	setThreadIdle();
}
const port = parentPort!;
const tell = (message: FromRenderThread) => port.postMessage(message);

const backend = backendOverPort(backendPort);
// Counted in the API thread's registry, which serves GET /metrics.
const metrics = workerMetricsOverPost(tell);
const {storage} = createStorage(config, NO_FILE_URLS, metrics.storageError);
let worker: Worker | null = null;
let stopping = false;

const ready = (async () => {
	worker = await startConfiguredWorker(config, {backend, storage, slots, log: (line, fields = {}) => tell({type: 'log', line, fields}), metrics}, () => stopping);
})();
ready.then(
	() => tell({type: 'ready'}),
	(err: unknown) => tell({type: 'failed', message: (err as Error).message}),
);

port.on('message', (message: ToRenderThread) => {
	if (message.type !== 'stop' || stopping) {
		return;
	}
	stopping = true;
	void (async () => {
		await ready.catch(() => undefined);
		await (worker as Worker | null)?.stop();
		await backend.close();
		tell({type: 'stopped'});
		port.close();
	})();
});
