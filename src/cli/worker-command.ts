import {surviveClosedBrowserRejections} from './survive-closed-browser-rejections.js';
import {parseArgs} from 'node:util';
import {createBackend} from '../backend/create-backend.js';
import {loadConfig, workerSlots} from '../config/load-config.js';
import {createStorage} from '../storage/create-storage.js';
import {NO_FILE_URLS} from '../storage/file-url-signer.js';
import {startConfiguredWorker} from '../worker/start-configured-worker.js';
import {allRenderEvents} from '../backend/render-events.js';
import {redisWhere} from '../backend/bullmq/redis-where.js';
import {createLogger} from '../logging/create-logger.js';
import {logRenderEvents} from '../logging/log-render-events.js';
import {createFarmMetrics} from '../metrics/farm-metrics.js';
import {startMetricsServer} from '../metrics/start-metrics-server.js';
import {keepCtrlCGraceful} from './keep-ctrl-c-graceful.js';
import {parseNumberFlag} from './parse-number-flag.js';
import {UsageError} from './usage-error.js';
import {waitForStopSignal} from './wait-for-stop-signal.js';

export const WORKER_USAGE = `framefarm worker [--concurrency N] [--metrics-port N] [--metrics-host H]

Renders chunks and stitches renders taken from the BullMQ queue on FRAMEFARM_REDIS_URL, with warm
browsers, storing into the bucket (FRAMEFARM_S3_BUCKET). Start one on each render machine.
SIGTERM or Ctrl-C: hands the chunks in hand back to the queue (no attempt used), then exits.

  --concurrency N   worker slots (default: one per core, FRAMEFARM_CONCURRENCY)
  --metrics-port N  serve GET /metrics, /health and /ready on this port (off by default; 0: any free port)
  --metrics-host H  address of the metrics port (default 0.0.0.0, for a Prometheus elsewhere)`;

export const workerCommand = async (argv: string[]): Promise<number> => {
	const {values} = parseArgs({
		args: argv,
		options: {concurrency: {type: 'string'}, 'data-dir': {type: 'string'}, 'metrics-port': {type: 'string'}, 'metrics-host': {type: 'string'}},
	});
	const metricsPort = parseNumberFlag('--metrics-port', values['metrics-port']);
	const config = loadConfig({concurrency: parseNumberFlag('--concurrency', values.concurrency), dataDir: values['data-dir']});
	if (config.redis === null) {
		throw new UsageError('framefarm worker takes its work from Redis: set FRAMEFARM_REDIS_URL (in embedded mode, serve renders itself).');
	}
	// Listening before any browser opens: with Remotion's SIGINT listeners taken off, a Ctrl-C
	// during start-up would otherwise end the process and leave its detached browsers running.
	keepCtrlCGraceful();
	const stopSignal = waitForStopSignal();
	const logger = createLogger(config);
	surviveClosedBrowserRejections(logger);
	const metrics = createFarmMetrics();
	const backend = await createBackend(config, {
		log: (line) => logger.warn(line),
		events: allRenderEvents(metrics.events, logRenderEvents(logger)),
		onRedisError: metrics.redisError,
	});
	const {storage} = createStorage(config, NO_FILE_URLS, metrics.worker.storageError);
	const slots = workerSlots(config, 'worker');
	const worker = (await startConfiguredWorker(config, {backend, storage, slots, log: (line, fields) => logger.warn(fields ?? {}, line), metrics: metrics.worker}))!;
	metrics.readiness(worker.problem);
	const metricsServer =
		metricsPort === undefined
			? null
			: await startMetricsServer({registry: metrics.registry, token: config.metricsToken, port: metricsPort, host: values['metrics-host'] ?? '0.0.0.0', problem: worker.problem});
	if (metricsServer !== null) {
		logger.info({url: `${metricsServer.url}/metrics`}, `metrics on ${metricsServer.url}/metrics, readiness on ${metricsServer.url}/ready`);
	}
	logger.info(
		{worker: worker.name, slots},
		`framefarm worker ${worker.name}: ${slots} slots taking renders from Redis at ${redisWhere(config.redis.url)} (prefix ${config.redis.prefix})`,
	);

	await stopSignal;
	logger.info({worker: worker.name}, `framefarm worker ${worker.name}: handing back the chunks in hand, then stopping`);
	await worker.stop();
	await metricsServer?.close();
	await backend.close();
	return 0;
};
