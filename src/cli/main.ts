import {CompileError} from '../code/compile-error.js';
import {ConfigError} from '../config/config-error.js';
import {RenderFailedError} from '../render/render-failed-error.js';
import {FramefarmApiError} from '../client/api-error.js';
import {BundleError} from '../sites/bundle-project.js';
import {PROGRESS_USAGE, progressCommand} from './progress-command.js';
import {RENDER_USAGE, renderCommand} from './render-command.js';
import {SERVE_USAGE, serveCommand} from './serve-command.js';
import {SITES_USAGE, sitesCommand} from './sites-command.js';
import {STILL_USAGE, stillCommand} from './still-command.js';
import {WORKER_USAGE, workerCommand} from './worker-command.js';
import {UsageError} from './usage-error.js';

const USAGE = `framefarm: a render farm for Remotion motion graphics

Commands:
  framefarm serve [options]                 run the render service (framefarm serve --help)
  framefarm worker [--concurrency N]        render for a distributed farm (BullMQ on Redis)
  framefarm render <file.tsx|-> [options]   render a component, here or on a server
  framefarm render <entry|site> --composition ID   render a composition of your Remotion project on a server
  framefarm still <file.tsx|entry|site>     render one frame as an image on a server
  framefarm progress <renderId>             print a render's progress object
  framefarm sites create|ls|rm              deploy your Remotion project as a site (framefarm sites --help)
`;

const COMMANDS: Record<string, {run: (argv: string[]) => Promise<number>; usage: string}> = {
	serve: {run: serveCommand, usage: SERVE_USAGE},
	worker: {run: workerCommand, usage: WORKER_USAGE},
	render: {run: renderCommand, usage: RENDER_USAGE},
	progress: {run: progressCommand, usage: PROGRESS_USAGE},
	sites: {run: sitesCommand, usage: SITES_USAGE},
	still: {run: stillCommand, usage: STILL_USAGE},
};

// Errors the user can act on are printed as a sentence; anything else keeps its stack.
const EXPECTED_ERRORS = [UsageError, CompileError, ConfigError, RenderFailedError, FramefarmApiError, BundleError];

export const main = async (argv: string[]): Promise<number> => {
	const [name, ...rest] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		process.stdout.write(USAGE);
		return name === undefined ? 1 : 0;
	}
	const command = COMMANDS[name];
	if (!command) {
		process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
		return 1;
	}
	if (rest.includes('--help') || rest.includes('-h')) {
		process.stdout.write(`${command.usage}\n`);
		return 0;
	}
	try {
		return await command.run(rest);
	} catch (err) {
		// node:util parseArgs reports unknown or malformed flags with these codes.
		const badFlag = String((err as {code?: unknown}).code ?? '').startsWith('ERR_PARSE_ARGS');
		const expected = badFlag || EXPECTED_ERRORS.some((type) => err instanceof type);
		const message = expected ? (err as Error).message : ((err as Error).stack ?? String(err));
		process.stderr.write(`\nError: ${message}\n`);
		return 1;
	}
};
