import path from 'node:path';
import {parseArgs} from 'node:util';
import {renderStill} from '../client/index.js';
import {STILL_IMAGE_FORMATS} from '../server/schemas.js';
import {clientOptions} from './client-options.js';
import {printWritten} from './print-written.js';
import {parseNumberFlag} from './parse-number-flag.js';
import {readCode} from './read-code.js';
import {saveResponse} from './render-remotely.js';
import {parsePropsFlag, siteOfArgument} from './site-argument.js';
import {UsageError} from './usage-error.js';

export const STILL_USAGE = `framefarm still <file.tsx|-> [options]
framefarm still <entry-point|site-name> --composition ID [--props JSON] [options]

Renders one frame as an image on a framefarm server and downloads it: a frame of a component's
code, or with --composition a frame of a composition (or a <Still>) of your own Remotion project:
give its entry point (deployed as a site first, as 'sites create' does) or a deployed site's name.

  --composition ID         the composition (a site still)
  --props JSON             its inputProps, e.g. '{"title": "Hello"}'
  --frame N                which frame (default 0)
  --image-format F         png (default), jpeg, webp or pdf
  --scale S                scale the image (default 1)
  --width W --height H     size of a code still (default 1920x1080)
  --out FILE               where to write it (default out/<name>.<format>)
  --server URL             the server (default FRAMEFARM_SERVER_URL or http://localhost:3000)
  --api-key KEY            its API key (default FRAMEFARM_API_KEY, or serve's key in the data dir)`;

export const stillCommand = async (argv: string[]): Promise<number> => {
	const {values, positionals} = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			composition: {type: 'string'},
			props: {type: 'string'},
			frame: {type: 'string'},
			'image-format': {type: 'string'},
			scale: {type: 'string'},
			width: {type: 'string'},
			height: {type: 'string'},
			out: {type: 'string'},
			server: {type: 'string'},
			'api-key': {type: 'string'},
			'data-dir': {type: 'string'},
		},
	});
	const [source] = positionals;
	if (source === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one file, entry point or site name.\n\n${STILL_USAGE}`);
	}
	const imageFormat = values['image-format'] ?? 'png';
	if (!(STILL_IMAGE_FORMATS as readonly string[]).includes(imageFormat)) {
		throw new UsageError(`--image-format must be one of ${STILL_IMAGE_FORMATS.join(', ')}, got "${imageFormat}"`);
	}
	const server = clientOptions(values);
	const common = {
		frame: parseNumberFlag('--frame', values.frame),
		imageFormat: imageFormat as (typeof STILL_IMAGE_FORMATS)[number],
		scale: parseNumberFlag('--scale', values.scale),
	};
	const startedAt = Date.now();
	const still =
		values.composition === undefined
			? await renderStill({
					...server,
					...common,
					inputProps: {code: await readCode(source)},
					width: parseNumberFlag('--width', values.width),
					height: parseNumberFlag('--height', values.height),
				})
			: await renderStill({...server, ...common, siteName: await siteOfArgument(source, server), composition: values.composition, inputProps: parsePropsFlag(values.props)});
	const name = values.composition ?? (source === '-' ? 'stdin' : path.basename(source).replace(/\.[jt]sx?$/, ''));
	const outFile = path.resolve(values.out ?? path.join('out', `${name}.${path.extname(still.outKey).slice(1)}`));
	await saveResponse(await fetch(still.url), outFile);
	printWritten(outFile, still.sizeInBytes, startedAt);
	return 0;
};
