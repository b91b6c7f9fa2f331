import {parseArgs} from 'node:util';
import {getRenderProgress} from '../client/index.js';
import {clientOptions} from './client-options.js';
import {UsageError} from './usage-error.js';

export const PROGRESS_USAGE = `framefarm progress <renderId> [--server URL] [--api-key KEY]

Prints a render's progress object (the shape of Remotion Lambda's getRenderProgress()).
The key defaults to FRAMEFARM_API_KEY, then to the one serve keeps in the data dir.`;

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
