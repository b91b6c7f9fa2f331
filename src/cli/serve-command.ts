import {surviveClosedBrowserRejections} from './survive-closed-browser-rejections.js';
import {parseArgs} from 'node:util';
import {loadConfig, type Config} from '../config/load-config.js';
import {redisWhere} from '../backend/bullmq/redis-where.js';
import {createLogger, isPretty} from '../logging/create-logger.js';
import {startServer, type RunningServer} from '../server/start-server.js';
import {parseNumberFlag} from './parse-number-flag.js';
import {waitForStopSignal} from './wait-for-stop-signal.js';

export const SERVE_USAGE = `framefarm serve [--port N] [--host H] [--data-dir DIR] [--concurrency N]

Runs the render service: the HTTP API, a queue and state in SQLite in the data dir, the data
dir's bucket folder, and worker slots with warm browsers. Everything in one process.

  --port N         port to listen on (default 3000, FRAMEFARM_PORT)
  --host H         address to listen on (default 127.0.0.1, FRAMEFARM_HOST)
  --data-dir DIR   state, bucket and API key (default ./.framefarm, FRAMEFARM_DATA_DIR)
  --concurrency N  worker slots (default: one per core; none with FRAMEFARM_REDIS_URL)`;

const EXAMPLE_CODE =
	"export const MyAnimation = () => <AbsoluteFill style={{backgroundColor: 'navy', color: 'white', fontSize: 120, justifyContent: 'center', alignItems: 'center'}}>Hello</AbsoluteFill>;";

// For a person at a terminal: the key to try it with, and how. Not a log line (never in JSON logs).
const welcome = (server: RunningServer, config: Config): string => {
	const key = server.apiKeys[0] ?? '';
	const body = JSON.stringify({inputProps: {code: EXAMPLE_CODE, durationInFrames: 90, fps: 30}, width: 1280, height: 720});
	return [
		server.createdApiKey ? `Created an API key, kept in ${config.dataDir}/api-key:` : config.apiKeys ? 'API keys from FRAMEFARM_API_KEYS.' : `API key (from ${config.dataDir}/api-key):`,
		config.apiKeys ? '' : `  ${key}`,
		'',
		'Try it:',
		`  curl -s -X POST ${server.url}/api/render -H 'Authorization: Bearer ${config.apiKeys ? '<key>' : key}' -H 'Content-Type: application/json' \\`,
		`    -d '${body.replace(/'/g, "'\\''")}'`,
		`  curl -s ${server.url}/api/render/<renderId> -H 'Authorization: Bearer ${config.apiKeys ? '<key>' : key}'`,
		'',
	].join('\n');
};

export const serveCommand = async (argv: string[]): Promise<number> => {
	const {values} = parseArgs({
		args: argv,
		options: {port: {type: 'string'}, host: {type: 'string'}, 'data-dir': {type: 'string'}, concurrency: {type: 'string'}},
	});
	const config = loadConfig({
		port: parseNumberFlag('--port', values.port),
		host: values.host,
		dataDir: values['data-dir'],
		concurrency: parseNumberFlag('--concurrency', values.concurrency),
	});
	const logger = createLogger(config);
	surviveClosedBrowserRejections(logger);
	const server = await startServer(config, {logger});
	const where = `${config.redis ? `queue on Redis at ${redisWhere(config.redis.url)}` : `data in ${config.dataDir}`}, ${server.slots} worker slots`;
	logger.info({url: server.url, slots: server.slots}, `framefarm is listening on ${server.url} (${where})`);
	if (isPretty(config)) {
		process.stdout.write(welcome(server, config));
	} else if (!config.apiKeys) {
		// Never the key itself in a log line: where it is kept.
		logger.info({file: `${config.dataDir}/api-key`}, server.createdApiKey ? 'created an API key' : 'API key read from the data dir');
	}
	server.workerReady.then(
		() => logger.info(server.slots > 0 ? 'Workers ready: warm browsers are taking renders.' : 'Workers ready: none here; start `framefarm worker` on the render machines.'),
		() => undefined,
	);

	const signal = await waitForStopSignal();
	logger.info(`${signal}: finishing the chunks in hand, then stopping...`);
	await server.close();
	return 0;
};
