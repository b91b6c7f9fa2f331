import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadConfig, renderLimits, workerSlots} from '../config/load-config.js';
import {CODECS, OUTPUT_CODECS, type OutputCodec} from '../render/codecs.js';
import {formatInputError, renderInputSchema} from '../render/render-input.js';
import {renderVideo} from '../render/render-video.js';
import {createProgressBar} from './progress-bar.js';
import {printWritten} from './print-written.js';
import {readCode} from './read-code.js';
import {clientOptions} from './client-options.js';
import {renderRemotely} from './render-remotely.js';
import {showProgress} from './show-progress.js';
import {UsageError} from './usage-error.js';
import {parseNumberFlag} from './parse-number-flag.js';
import {parsePropsFlag, siteOfArgument} from './site-argument.js';

export const RENDER_USAGE = `framefarm render <file.tsx|-> [options]
framefarm render <entry-point|site-name> --composition ID [--props JSON] [options]

Renders a Remotion component in this process ('-' reads the code from stdin), or on a server with
--server. With --composition it renders a composition of your own Remotion project on the server:
give the project's entry point (it is deployed as a site first, as 'sites create' does) or the name
of a site you deployed.

  --composition ID         the composition to render (a site render)
  --props JSON             its inputProps, e.g. '{"title": "Hello"}'
  --codec C                h264 (default), h265, vp8, vp9, prores, gif, mp3, aac or wav

  --duration-in-frames N   length of the video (default 150)
  --fps N                  frames per second (default 30)
  --width W --height H     size in pixels (default 1920x1080)
  --frames-per-chunk N     frames per chunk (default: balanced over the slots, at most FRAMEFARM_FRAMES_PER_CHUNK, 150)
  --concurrency N          parallel chunks, each on its own browser (default: one per core)
  --out FILE               where to write the output (default out/<name>.<the codec's extension>)
  --server URL             render on a running framefarm server instead of in this process
  --api-key KEY            the server's API key (default FRAMEFARM_API_KEY, or serve's key in the data dir)
  --watch                  with --server: print the render's live stream URL (HLS) as soon as it exists, to watch it while it renders`;

const FLAGS: Record<string, string> = {
	durationInFrames: '--duration-in-frames',
	fps: '--fps',
	width: '--width',
	height: '--height',
	framesPerChunk: '--frames-per-chunk',
	code: 'the code',
};

export const renderCommand = async (argv: string[]): Promise<number> => {
	const {values, positionals} = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			'duration-in-frames': {type: 'string'},
			fps: {type: 'string'},
			width: {type: 'string'},
			height: {type: 'string'},
			'frames-per-chunk': {type: 'string'},
			concurrency: {type: 'string'},
			out: {type: 'string'},
			server: {type: 'string'},
			'api-key': {type: 'string'},
			composition: {type: 'string'},
			props: {type: 'string'},
			codec: {type: 'string'},
			watch: {type: 'boolean'},
		},
	});
	const [source] = positionals;
	if (source === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one file (or - for stdin).\n\n${RENDER_USAGE}`);
	}
	const codec = parseCodecFlag(values.codec);
	if (values.watch && values.server === undefined) {
		throw new UsageError('--watch follows a render on a server: give --server too (a render in this process has no live stream).');
	}
	if (values.composition !== undefined) {
		return renderComposition({source, composition: values.composition, codec, values});
	}
	const parsed = renderInputSchema.safeParse({
		code: await readCode(source),
		durationInFrames: parseNumberFlag('--duration-in-frames', values['duration-in-frames']) ?? 150,
		fps: parseNumberFlag('--fps', values.fps) ?? 30,
		width: parseNumberFlag('--width', values.width),
		height: parseNumberFlag('--height', values.height),
		framesPerChunk: parseNumberFlag('--frames-per-chunk', values['frames-per-chunk']),
	});
	if (!parsed.success) {
		throw new UsageError(formatInputError(parsed.error, (field) => FLAGS[String(field[0])] ?? String(field[0])));
	}
	const config = loadConfig({concurrency: parseNumberFlag('--concurrency', values.concurrency)});
	const name = source === '-' ? 'stdin' : path.basename(source).replace(/\.[jt]sx?$/, '');
	const outFile = path.resolve(values.out ?? path.join('out', `${name}.${CODECS[codec].extension}`));
	const {code, durationInFrames, fps, width, height, framesPerChunk} = parsed.data;

	const bar = createProgressBar();
	const startedAt = Date.now();
	try {
		const result =
			values.server !== undefined
				? await renderRemotely({server: clientOptions(values), body: {inputProps: {code, durationInFrames, fps}, width, height, framesPerChunk, codec}, outFile, bar, watch: values.watch})
				: await renderVideo({
						...parsed.data,
						codec,
						maxFramesPerChunk: config.framesPerChunk,
						outFile,
						browserExecutable: config.browserExecutable,
						cacheDir: config.cacheDir,
						concurrency: workerSlots(config, 'render'),
						chunkRetries: config.chunkRetries,
						limits: renderLimits(config),
						allowedOrigins: config.allowedOrigins,
						onBundling: () => bar.update('Bundling', 0, 1, 'the Remotion site (once per version)'),
						onProgress: (progress) => showProgress(bar, progress),
					});
		bar.finish();
		printWritten(outFile, result.sizeInBytes, startedAt);
		return 0;
	} finally {
		bar.finish();
	}
};

/** A composition of a site, rendered on the server (deployed first when given an entry point). */
const renderComposition = async ({
	source,
	composition,
	codec,
	values,
}: {
	source: string;
	composition: string;
	codec: OutputCodec;
	values: {server?: string; 'api-key'?: string; props?: string; out?: string; 'frames-per-chunk'?: string; watch?: boolean};
}): Promise<number> => {
	const server = clientOptions(values);
	const inputProps = parsePropsFlag(values.props);
	const siteName = await siteOfArgument(source, server);
	const outFile = path.resolve(values.out ?? path.join('out', `${composition}.${CODECS[codec].extension}`));
	const bar = createProgressBar();
	const startedAt = Date.now();
	try {
		const body = {siteName, composition, inputProps, codec, framesPerChunk: parseNumberFlag('--frames-per-chunk', values['frames-per-chunk'])};
		const result = await renderRemotely({server, body, outFile, bar, watch: values.watch});
		bar.finish();
		printWritten(outFile, result.sizeInBytes, startedAt);
		return 0;
	} finally {
		bar.finish();
	}
};

const parseCodecFlag = (value: string | undefined): OutputCodec => {
	if (value === undefined) {
		return 'h264';
	}
	if (!(OUTPUT_CODECS as readonly string[]).includes(value)) {
		throw new UsageError(`--codec must be one of ${OUTPUT_CODECS.join(', ')}, got "${value}"`);
	}
	return value as OutputCodec;
};
