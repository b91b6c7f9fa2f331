import {parseArgs} from 'node:util';
import {getRenderProgress} from '../client/index.js';
import {loadConfig} from '../config/load-config.js';
import {readStoredApiKey} from '../server/load-api-keys.js';
import {UsageError} from './usage-error.js';

export const PROGRESS_USAGE = `framefarm progress <renderId> [--server URL] [--api-key KEY]

Prints a render's progress object (the shape of Remotion Lambda's getRenderProgress()).
The key defaults to FRAMEFARM_API_KEY, then to the one serve keeps in the data dir.`;

/** The server and key the CLI talks to as a client. */
export const clientOptions = (values: {server?: string; 'api-key'?: string; 'data-dir'?: string}) => {
	const config = loadConfig({serverUrl: values.server, apiKey: values['api-key'], dataDir: values['data-dir']});
	const apiKey = config.clientApiKey ?? readStoredApiKey(config.dataDir);
	if (apiKey === null) {
		throw new UsageError('No API key: pass --api-key or set FRAMEFARM_API_KEY (serve prints its key when it starts).');
	}
	return {serverUrl: config.serverUrl, apiKey};
};

export const progressCommand = async (argv: string[]): Promise<number> => {
	const {values, positionals} = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {server: {type: 'string'}, 'api-key': {type: 'string'}, 'data-dir': {type: 'string'}},
	});
	const [renderId] = positionals;
	if (renderId === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one render id.\n\n${PROGRESS_USAGE}`);
	}
	const progress = await getRenderProgress({...clientOptions(values), renderId});
	process.stdout.write(`${JSON.stringify(progress, null, 2)}\n`);
	return 0;
};
