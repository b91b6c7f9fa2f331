import type {FastifyPluginAsync, FastifyReply} from 'fastify';
import type {RenderRecord} from '../../backend/render-record.js';
import {livePlaylist} from '../../live/live-playlist.js';
import {hasLiveStream} from '../../live/live-stream.js';
import {livePlaylistKey, liveSegmentKey} from '../../worker/render-keys.js';
import type {AppContext} from '../app-context.js';
import {authorizeFile, fileNotFound} from '../authorize-file.js';
import {HttpError} from '../http-error.js';
import {findRender} from '../read-progress.js';

/**
 * A render's live stream: its HLS playlist, answered from the render's chunks at each request
 * (players reload it). With the key at /api/render/{id}/live.m3u8, or header-free at the signed
 * URL the progress object gives (liveUrl), under the same rules as outputs. The segments are
 * bucket objects, listed by their own signed or presigned URLs.
 */
export const liveRoute =
	(context: AppContext): FastifyPluginAsync =>
	async (app) => {
		const answer = async (render: RenderRecord, reply: FastifyReply) => {
			if (!hasLiveStream(render.job)) {
				throw new HttpError(
					404,
					'no_live_stream',
					`Render ${render.id} has no live stream: only h264 renders of every frame have one (this one is ${render.job.codec}${render.job.options.everyNthFrame ? `, everyNthFrame ${render.job.options.everyNthFrame}` : ''})`,
				);
			}
			if (render.status === 'cancelled') {
				throw new HttpError(410, 'render_cancelled', `Render ${render.id} was cancelled: its live stream is gone`);
			}
			const chunks = await context.backend.getChunks(render.id);
			const done = chunks.filter((chunk) => chunk.status === 'done');
			const urls = new Map(await Promise.all(done.map(async (chunk) => [chunk.index, await context.storage.url(liveSegmentKey(render.id, chunk.index))] as const)));
			const text = livePlaylist({render, chunks, segmentUrl: (index) => urls.get(index)!});
			// Reloaded while the render runs: never from a cache.
			return reply.type('application/vnd.apple.mpegurl').header('cache-control', 'no-store').send(text);
		};

		app.get('/api/render/:renderId/live.m3u8', {schema: {hide: true}}, async (request, reply) =>
			answer(await findRender(context, request.owner, (request.params as {renderId: string}).renderId), reply),
		);

		app.get('/files/renders/:renderId/live.m3u8', {schema: {hide: true}}, async (request, reply) => {
			const {renderId} = request.params as {renderId: string};
			const key = livePlaylistKey(renderId);
			await authorizeFile(context, request, key);
			const render = await context.backend.getRender(renderId);
			if (render === null) {
				throw fileNotFound(key);
			}
			return answer(render, reply);
		});
	};
