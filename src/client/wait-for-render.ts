import type {RenderProgress, RenderStatusResponse} from '../progress/progress-schemas.js';
import {FramefarmApiError} from './api-error.js';
import {readEvents} from './read-events.js';
import {requestJson, type ServerOptions} from './request-json.js';

/** A render that ended in an error (or was cancelled): the message is the server's. */
export class FramefarmRenderError extends Error {
	override readonly name = 'FramefarmRenderError';
	readonly renderId: string;
	readonly progress: RenderProgress | null;

	constructor(renderId: string, message: string, progress: RenderProgress | null) {
		super(message);
		this.renderId = renderId;
		this.progress = progress;
	}
}

export type WaitForRenderOptions = ServerOptions & {
	renderId: string;
	/** Called with each progress object, overallProgress never going down. */
	onProgress?: (progress: RenderProgress) => void;
	/** When the event stream is unavailable, how often to poll instead; default 1000 ms. */
	pollIntervalMs?: number;
	signal?: AbortSignal;
};

export type FinishedRender = {renderId: string; url: string; size: number; progress: RenderProgress};

const progressPath = (renderId: string) => `/api/render/${encodeURIComponent(renderId)}`;

// The final object from the event stream, or null when the stream broke off before the end.
const followStream = async (options: WaitForRenderOptions): Promise<RenderProgress | null> => {
	for await (const {event, data} of readEvents(options, `${progressPath(options.renderId)}/events`, options.signal)) {
		const parsed = JSON.parse(data) as RenderProgress | {message: string};
		if (!('overallProgress' in parsed)) {
			throw new FramefarmRenderError(options.renderId, parsed.message, null);
		}
		options.onProgress?.(parsed);
		if (event === 'done' || event === 'error') {
			return parsed;
		}
	}
	return null;
};

const poll = async (options: WaitForRenderOptions): Promise<RenderProgress> => {
	let highest = 0;
	for (;;) {
		options.signal?.throwIfAborted();
		const progress = await requestJson<RenderProgress>(options, 'GET', `${progressPath(options.renderId)}/progress`);
		highest = Math.max(highest, progress.overallProgress);
		options.onProgress?.({...progress, overallProgress: highest});
		if (progress.done || progress.fatalErrorEncountered) {
			return progress;
		}
		await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
	}
};

/**
 * Waits until a render is done, following its Server-Sent Events and polling the progress route
 * if the stream is unavailable or breaks off. Resolves with the same url and size as
 * GET /api/render/{renderId}; rejects with a FramefarmRenderError if the render failed.
 */
export const waitForRender = async (options: WaitForRenderOptions): Promise<FinishedRender> => {
	let final: RenderProgress | null = null;
	try {
		final = await followStream(options);
	} catch (err) {
		// A wrong key or an unknown render is the caller's to hear; anything else falls back to polling.
		if (err instanceof FramefarmRenderError || (err instanceof FramefarmApiError && (err.status === 401 || err.status === 404)) || options.signal?.aborted) {
			throw err;
		}
	}
	final ??= await poll(options);
	const status = await requestJson<RenderStatusResponse>(options, 'GET', progressPath(options.renderId));
	if (status.type !== 'done') {
		const message = status.type === 'error' ? status.message : (final.errors.find((error) => error.isFatal)?.message ?? 'The render failed');
		throw new FramefarmRenderError(options.renderId, message, final);
	}
	return {renderId: options.renderId, url: status.url, size: status.size, progress: final};
};
