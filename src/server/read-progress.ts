import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {getRenderProgress, type RenderProgress} from '../progress/get-render-progress.js';
import type {AppContext} from './app-context.js';
import {notFound} from './http-error.js';
import {hasLiveStream} from '../live/live-stream.js';
import {livePlaylistKey} from '../worker/render-keys.js';

/** A render the caller may see: another key's render is reported as not found, like a missing one. */
export const findRender = async (context: AppContext, owner: string, renderId: string): Promise<RenderRecord> => {
	const render = await context.backend.getRender(renderId);
	if (!render || render.owner !== owner) {
		throw notFound(`Render ${renderId}`);
	}
	return render;
};

/**
 * Loads what getRenderProgress() needs and computes the progress object. The record, its chunks
 * and its queue position are asked for together, before the owner is checked: one round trip to
 * Redis instead of two, the tail of a poll while workers keep Redis busy. Another key's chunks are
 * read and dropped, never answered.
 */
export const readProgress = async (context: AppContext, owner: string, renderId: string): Promise<RenderProgress> => {
	const [render, [chunks, queuePosition]] = await Promise.all([context.backend.getRender(renderId), chunksAndPosition(context, renderId)]);
	if (!render || render.owner !== owner) {
		throw notFound(`Render ${renderId}`);
	}
	return progressFrom(context, render, chunks, queuePosition);
};

/** The progress object of a render already loaded. */
export const progressOf = async (context: AppContext, render: RenderRecord): Promise<RenderProgress> =>
	progressFrom(context, render, ...(await chunksAndPosition(context, render.id)));

const chunksAndPosition = async (context: AppContext, renderId: string): Promise<[ChunkRecord[], number | null]> => {
	const [chunks, [queuePosition = null]] = await Promise.all([context.backend.getChunks(renderId), context.backend.getQueuePositions([renderId])]);
	return [chunks, queuePosition];
};

const progressFrom = async (context: AppContext, render: RenderRecord, chunks: ChunkRecord[], queuePosition: number | null): Promise<RenderProgress> =>
	getRenderProgress({
		render,
		chunks,
		queuePosition,
		now: context.now(),
		outputUrl: render.outKey === null ? null : await context.storage.url(render.outKey),
		liveUrl: hasLiveStream(render.job) && render.status !== 'cancelled' ? context.fileUrls.url(livePlaylistKey(render.id)) : null,
		bucket: context.storage.bucketName,
		pricing: context.pricing,
		renderTimeoutMs: context.renderTimeoutMs,
	});
