import fs from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import {getRenderProgress, submitRender, type ServerOptions} from '../client/index.js';
import type {SubmitBody} from '../server/schemas.js';
import {describeError} from '../progress/describe-error.js';
import {RenderFailedError} from '../render/render-failed-error.js';
import type {ProgressBar} from './progress-bar.js';
import {showProgress} from './show-progress.js';

const POLL_INTERVAL_MS = 500;

/** Submits to a running framefarm server, follows its progress, and downloads the output. */
export const renderRemotely = async ({
	server,
	body,
	outFile,
	bar,
	watch = false,
}: {
	server: ServerOptions;
	body: SubmitBody;
	outFile: string;
	bar: ProgressBar;
	/** Print the render's live stream URL as soon as the server gives one (--watch). */
	watch?: boolean;
}): Promise<{renderId: string; url: string; sizeInBytes: number}> => {
	const {renderId} = await submitRender({...server, ...body});
	let toldLive = !watch;
	for (;;) {
		const progress = await getRenderProgress({...server, renderId});
		if (!toldLive && progress.liveUrl !== null) {
			bar.note(`Watch it while it renders (HLS, e.g. ffplay, VLC, Safari): ${progress.liveUrl}`);
			toldLive = true;
		}
		showProgress(bar, progress);
		if (progress.fatalErrorEncountered) {
			const fatal = progress.errors.find((error) => error.isFatal) ?? progress.errors.at(-1);
			const message = `Render ${renderId} failed: ${fatal ? describeError(fatal) : 'unknown error'}`;
			throw new RenderFailedError(message, new Error(message));
		}
		if (progress.done && progress.outputFile !== null) {
			const response = await fetch(progress.outputFile);
			await saveResponse(response, outFile);
			return {renderId, url: progress.outputFile, sizeInBytes: (await fs.promises.stat(outFile)).size};
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
	}
};

/** Writes a download to `outFile`, making its folder. */
export const saveResponse = async (response: Response, outFile: string) => {
	if (!response.ok || response.body === null) {
		throw new Error(`Could not download ${response.url}: ${response.status}`);
	}
	await fs.promises.mkdir(path.dirname(outFile), {recursive: true});
	await pipeline(Readable.fromWeb(response.body as WebReadableStream), fs.createWriteStream(outFile));
};
