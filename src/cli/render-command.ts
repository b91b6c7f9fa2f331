import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadConfig, renderLimits, workerSlots} from '../config/load-config.js';
import {formatInputError, renderInputSchema} from '../render/render-input.js';
import {renderVideo} from '../render/render-video.js';
import {createProgressBar} from './progress-bar.js';
import {formatBytes} from './format-bytes.js';
import {readCode} from './read-code.js';
import {clientOptions} from './client-options.js';
import {renderRemotely} from './render-remotely.js';
import {showProgress} from './show-progress.js';
import {UsageError} from './usage-error.js';
import {parseNumberFlag} from './parse-number-flag.js';

export const RENDER_USAGE = `framefarm render <file.tsx|-> [options]

Renders a Remotion component to an MP4 in this process. '-' reads the code from stdin.

  --duration-in-frames N   length of the video (default 150)
  --fps N                  frames per second (default 30)
  --width W --height H     size in pixels (default 1920x1080)
  --frames-per-chunk N     frames per chunk (default: balanced over the slots, at most FRAMEFARM_FRAMES_PER_CHUNK, 150)
  --concurrency N          parallel chunks, each on its own browser (default: one per core)
  --out FILE               where to write the MP4 (default out/<name>.mp4)
  --server URL             render on a running framefarm server instead of in this process
  --api-key KEY            the server's API key (default FRAMEFARM_API_KEY, or serve's key in the data dir)`;

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
		},
	});
	const [source] = positionals;
	if (source === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one file (or - for stdin).\n\n${RENDER_USAGE}`);
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
	const outFile = path.resolve(values.out ?? path.join('out', `${name}.mp4`));

	const bar = createProgressBar();
	const startedAt = Date.now();
	try {
		const result =
			values.server !== undefined
				? await renderRemotely({server: clientOptions(values), input: parsed.data, outFile, bar})
				: await renderVideo({
						...parsed.data,
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
		const shown = path.relative(process.cwd(), outFile);
		process.stdout.write(
			`${shown.startsWith('..') ? outFile : shown}  ${formatBytes(result.sizeInBytes)} (${result.sizeInBytes} bytes)  rendered in ${((Date.now() - startedAt) / 1000).toFixed(1)}s\n`,
		);
		return 0;
	} finally {
		bar.finish();
	}
};
