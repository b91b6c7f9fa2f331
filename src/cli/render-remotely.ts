import fs from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import {getRenderProgress, renderMedia, type ServerOptions} from '../client/index.js';
import {describeError} from '../progress/describe-error.js';
import {RenderFailedError} from '../render/render-failed-error.js';
import type {ResolvedRenderInput} from '../render/render-input.js';
import type {ProgressBar} from './progress-bar.js';
import {showProgress} from './show-progress.js';

const POLL_INTERVAL_MS = 500;

/** Submits to a running framefarm server, follows its progress, and downloads the MP4. */
export const renderRemotely = async ({
	server,
	input,
	outFile,
	bar,
}: {
	server: ServerOptions;
	input: ResolvedRenderInput;
	outFile: string;
	bar: ProgressBar;
}): Promise<{renderId: string; url: string; sizeInBytes: number}> => {
	const {renderId} = await renderMedia({...server, ...input});
	for (;;) {
		const progress = await getRenderProgress({...server, renderId});
		showProgress(bar, progress);
		if (progress.fatalErrorEncountered) {
			const fatal = progress.errors.find((error) => error.isFatal) ?? progress.errors.at(-1);
			const message = `Render ${renderId} failed: ${fatal ? describeError(fatal) : 'unknown error'}`;
			throw new RenderFailedError(message, new Error(message));
		}
		if (progress.done && progress.outputFile !== null) {
			const response = await fetch(progress.outputFile);
			if (!response.ok || response.body === null) {
				throw new Error(`Could not download ${progress.outputFile}: ${response.status}`);
			}
			await fs.promises.mkdir(path.dirname(outFile), {recursive: true});
			await pipeline(Readable.fromWeb(response.body as WebReadableStream), fs.createWriteStream(outFile));
			return {renderId, url: progress.outputFile, sizeInBytes: (await fs.promises.stat(outFile)).size};
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
	}
};
