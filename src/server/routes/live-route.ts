import type {FastifyPluginAsync, FastifyReply, FastifyRequest} from 'fastify';
import type {RenderRecord} from '../../backend/render-record.js';
import {holdLivePlaylist} from '../../live/hold-live-playlist.js';
import {livePlaylist} from '../../live/live-playlist.js';
import {hasLiveStream} from '../../live/live-stream.js';
import {livePlaylistKey, liveSegmentKey} from '../../worker/render-keys.js';
import type {AppContext} from '../app-context.js';
import {authorizeFile, fileNotFound} from '../authorize-file.js';
import {badRequest, HttpError} from '../http-error.js';
import {findRender} from '../read-progress.js';

/**
 * A render's live stream: its HLS playlist, answered from the render's chunks at each request
 * (players reload it). With the key at /api/render/{id}/live.m3u8, or header-free at the signed
 * URL the progress object gives (liveUrl), under the same rules as outputs. The segments are
 * bucket objects, listed by their own signed or presigned URLs. A reload that asks for a segment
 * not yet in (`?_HLS_msn=N`, HLS's blocking reload), or any request while nothing is listed, is
 * answered once it is in, or after a few seconds with what there is.
 */
export const liveRoute =
	(context: AppContext): FastifyPluginAsync =>
	async (app) => {
		// A held reload ends when the server closes, rather than holding up its close.
		const closing = new AbortController();
		app.addHook('preClose', async () => closing.abort());

		const answer = async (render: RenderRecord, request: FastifyRequest, reply: FastifyReply) => {
			if (!hasLiveStream(render.job)) {
				throw new HttpError(
					404,
					'no_live_stream',
					`Render ${render.id} has no live stream: only h264 renders of every frame have one (this one is ${render.job.codec}${render.job.options.everyNthFrame ? `, everyNthFrame ${render.job.options.everyNthFrame}` : ''})`,
				);
			}
			refuseCancelled(render);
			const wanted = wantedSegments(request.query as Record<string, unknown>);
			const gone = new AbortController();
			// The response's close, not the request's: a GET's request closes once it is read.
			reply.raw.once('close', () => gone.abort());
			const now = await holdLivePlaylist({
				wanted,
				signal: AbortSignal.any([gone.signal, closing.signal]),
				read: async () => ({render: (await context.backend.getRender(render.id)) ?? render, chunks: await context.backend.getChunks(render.id)}),
			});
			refuseCancelled(now.render);
			const done = now.chunks.filter((chunk) => chunk.status === 'done');
			const urls = new Map(await Promise.all(done.map(async (chunk) => [chunk.index, await context.storage.url(liveSegmentKey(render.id, chunk.index))] as const)));
			const text = livePlaylist({render: now.render, chunks: now.chunks, segmentUrl: (index) => urls.get(index)!});
			// Reloaded while the render runs: never from a cache.
			return reply.type('application/vnd.apple.mpegurl').header('cache-control', 'no-store').send(text);
		};

		app.get('/api/render/:renderId/live.m3u8', {schema: {hide: true}}, async (request, reply) =>
			answer(await findRender(context, request.owner, (request.params as {renderId: string}).renderId), request, reply),
		);

		app.get('/files/renders/:renderId/live.m3u8', {schema: {hide: true}}, async (request, reply) => {
			const {renderId} = request.params as {renderId: string};
			const key = livePlaylistKey(renderId);
			await authorizeFile(context, request, key);
			const render = await context.backend.getRender(renderId);
			if (render === null) {
				throw fileNotFound(key);
			}
			return answer(render, request, reply);
		});
	};

const refuseCancelled = (render: RenderRecord) => {
	if (render.status === 'cancelled') {
		throw new HttpError(410, 'render_cancelled', `Render ${render.id} was cancelled: its live stream is gone`);
	}
};

/** Segments the request waits for: `_HLS_msn` is the index of the one it wants; without it, the first. */
const wantedSegments = (query: Record<string, unknown>): number => {
	const msn = query._HLS_msn;
	if (msn === undefined) {
		return 1;
	}
	if (typeof msn !== 'string' || !/^\d{1,9}$/.test(msn)) {
		throw badRequest(`_HLS_msn must be a media sequence number (a whole number from 0), got ${JSON.stringify(msn)}`);
	}
	return Number(msn) + 1;
};
