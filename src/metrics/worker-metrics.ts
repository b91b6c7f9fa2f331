/**
 * What a worker measures of its own work, beside the backend's render events: in `framefarm
 * worker` straight into its registry, in `serve`'s render thread posted to the main thread's.
 */
export type WorkerMetrics = {
	/** From taking a chunk to its first frame rendered: page load, composition, browser. */
	chunkSetUp: (seconds: number) => void;
	stitched: (seconds: number) => void;
	requestBlocked: () => void;
	browserRestarted: () => void;
	slots: (busy: number, idle: number) => void;
	/** What this worker's browsers use together (resident set sizes). */
	browserMemory: (bytes: number) => void;
	storageError: (operation: string) => void;
};

export type WorkerMetricMessage = {type: 'metric'; name: keyof WorkerMetrics; args: number[] | string[]};

// Every method, once: the compiler says when one is missing.
const NAMES = Object.keys({
	chunkSetUp: true,
	stitched: true,
	requestBlocked: true,
	browserRestarted: true,
	slots: true,
	browserMemory: true,
	storageError: true,
} satisfies Record<keyof WorkerMetrics, true>) as (keyof WorkerMetrics)[];

export const NO_WORKER_METRICS = Object.fromEntries(NAMES.map((name) => [name, () => undefined])) as unknown as WorkerMetrics;

/** Worker metrics that travel as messages (the render thread posts them to the API's thread). */
export const workerMetricsOverPost = (post: (message: WorkerMetricMessage) => void): WorkerMetrics =>
	Object.fromEntries(NAMES.map((name) => [name, (...args: number[] | string[]) => post({type: 'metric', name, args})])) as unknown as WorkerMetrics;

/** Records a message of workerMetricsOverPost() into the receiving thread's metrics. */
export const applyWorkerMetric = (metrics: WorkerMetrics, message: WorkerMetricMessage) => {
	if (NAMES.includes(message.name)) {
		(metrics[message.name] as (...args: unknown[]) => void)(...message.args);
	}
};
