import type {RenderRecord} from '../backend/render-record.js';
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

/** Loads what getRenderProgress() needs and computes the progress object. */
export const readProgress = async (context: AppContext, owner: string, renderId: string): Promise<RenderProgress> =>
	progressOf(context, await findRender(context, owner, renderId));

/** The progress object of a render already loaded. */
export const progressOf = async (context: AppContext, render: RenderRecord): Promise<RenderProgress> => {
	const [chunks, [queuePosition = null]] = await Promise.all([
		context.backend.getChunks(render.id),
		context.backend.getQueuePositions([render.id]),
	]);
	return getRenderProgress({
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
};
