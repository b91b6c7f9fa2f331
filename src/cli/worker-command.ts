import {parseArgs} from 'node:util';
import {createBackend} from '../backend/create-backend.js';
import {loadConfig, renderLimits, workerSlots} from '../config/load-config.js';
import {bundleSite} from '../render/bundle-site.js';
import {findBrowser} from '../render/find-browser.js';
import {createStorage} from '../storage/create-storage.js';
import {NO_FILE_URLS} from '../storage/file-url-signer.js';
import {startWorker} from '../worker/start-worker.js';
import {keepCtrlCGraceful} from './keep-ctrl-c-graceful.js';
import {parseNumberFlag} from './parse-number-flag.js';
import {UsageError} from './usage-error.js';
import {waitForStopSignal} from './wait-for-stop-signal.js';

export const WORKER_USAGE = `framefarm worker [--concurrency N]

Renders chunks and stitches renders taken from the BullMQ queue on FRAMEFARM_REDIS_URL, with warm
browsers, storing into the bucket (FRAMEFARM_S3_BUCKET). Start one on each render machine.
SIGTERM or Ctrl-C: hands the chunks in hand back to the queue (no attempt used), then exits.

  --concurrency N  worker slots (default: one per core, FRAMEFARM_CONCURRENCY)`;

export const workerCommand = async (argv: string[]): Promise<number> => {
	const {values} = parseArgs({args: argv, options: {concurrency: {type: 'string'}, 'data-dir': {type: 'string'}}});
	const config = loadConfig({concurrency: parseNumberFlag('--concurrency', values.concurrency), dataDir: values['data-dir']});
	if (config.redis === null) {
		throw new UsageError('framefarm worker takes its work from Redis: set FRAMEFARM_REDIS_URL (in embedded mode, serve renders itself).');
	}
	// Listening before any browser opens: with Remotion's SIGINT listeners taken off, a Ctrl-C
	// during start-up would otherwise end the process and leave its detached browsers running.
	keepCtrlCGraceful();
	const stopSignal = waitForStopSignal();
	const log = (line: string) => process.stderr.write(`framefarm worker: ${line}\n`);
	const backend = await createBackend(config, log);
	const {storage} = createStorage(config, NO_FILE_URLS);
	const [siteDir, browser] = await Promise.all([bundleSite({cacheDir: config.cacheDir}), findBrowser(config.browserExecutable)]);
	const slots = workerSlots(config, 'worker');
	const worker = await startWorker({backend, storage, siteDir, browser, slots, limits: renderLimits(config), allowedOrigins: config.allowedOrigins, log});
	process.stdout.write(`framefarm worker ${worker.name}: ${slots} slots taking renders from ${config.redis.url} (prefix ${config.redis.prefix})\n`);

	await stopSignal;
	process.stdout.write(`framefarm worker ${worker.name}: handing back the chunks in hand, then stopping\n`);
	await worker.stop();
	await backend.close();
	return 0;
};
