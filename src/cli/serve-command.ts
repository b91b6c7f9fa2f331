import {parseArgs} from 'node:util';
import {loadConfig} from '../config/load-config.js';
import {startServer} from '../server/start-server.js';
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
	const server = await startServer(config, {
		onWorkerError: (err) => process.stderr.write(`framefarm: the workers could not start: ${(err as Error).message}\n`),
		log: (line) => process.stdout.write(`framefarm: ${line}\n`),
	});
	const key = server.apiKeys[0] ?? '';
	const body = JSON.stringify({inputProps: {code: EXAMPLE_CODE, durationInFrames: 90, fps: 30}, width: 1280, height: 720});
	process.stdout.write(
		[
			`framefarm is listening on ${server.url} (${config.redis ? `queue on ${config.redis.url}` : `data in ${config.dataDir}`}, ${server.slots} worker slots)`,
			server.createdApiKey ? `Created an API key, kept in ${config.dataDir}/api-key:` : config.apiKeys ? 'API keys from FRAMEFARM_API_KEYS.' : `API key (from ${config.dataDir}/api-key):`,
			config.apiKeys ? '' : `  ${key}`,
			'',
			'Try it:',
			`  curl -s -X POST ${server.url}/api/render -H 'Authorization: Bearer ${config.apiKeys ? '<key>' : key}' -H 'Content-Type: application/json' \\`,
			`    -d '${body.replace(/'/g, "'\\''")}'`,
			`  curl -s ${server.url}/api/render/<renderId> -H 'Authorization: Bearer ${config.apiKeys ? '<key>' : key}'`,
			'',
		].join('\n'),
	);
	server.workerReady.then(
		() =>
			process.stdout.write(
				server.slots > 0 ? 'Workers ready: warm browsers are taking renders.\n' : 'Workers ready: none here; start `framefarm worker` on the render machines.\n',
			),
		() => undefined,
	);

	const signal = await waitForStopSignal();
	process.stdout.write(`\n${signal}: finishing the chunks in hand, then stopping...\n`);
	await server.close();
	return 0;
};
