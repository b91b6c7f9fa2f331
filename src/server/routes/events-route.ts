import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import type {RenderProgress} from '../../progress/progress-schemas.js';
import type {AppContext} from '../app-context.js';
import {findRender, readProgress} from '../read-progress.js';
import {errorResponseSchema, renderIdParamsSchema} from '../schemas.js';

// At most about 4 events a second; a comment now and then keeps proxies from closing a quiet stream.
const TICK_MS = 250;
const KEEP_ALIVE_MS = 15_000;

// What a client sees move: the clock and the accruing cost alone do not make an event.
const signature = (progress: RenderProgress): string =>
	JSON.stringify([
		progress.overallProgress,
		progress.framesRendered,
		progress.framesEncoded,
		progress.combinedFrames,
		progress.chunks,
		progress.queuePosition,
		progress.errors.length,
		progress.done,
		progress.fatalErrorEncountered,
	]);

/**
 * GET /api/render/{renderId}/events: the progress object as Server-Sent Events. `progress`
 * events while it runs, `overallProgress` never lower than before; then one `done` or `error`
 * event with the final object, and the stream closes. It reads the shared backend, so any API
 * server can stream any render.
 */
export const eventsRoute =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.get(
			'/api/render/:renderId/events',
			{schema: {summary: 'Progress as Server-Sent Events (progress, then done or error)', params: renderIdParamsSchema, response: {404: errorResponseSchema}}},
			async (request, reply) => {
				const {renderId} = request.params;
				// An unknown render is a JSON 404 like on every other route, before the stream starts.
				await findRender(context, request.owner, renderId);
				reply.hijack();
				const raw = reply.raw;
				raw.writeHead(200, {
					'content-type': 'text/event-stream; charset=utf-8',
					'cache-control': 'no-cache, no-transform',
					connection: 'keep-alive',
					'x-accel-buffering': 'no',
				});
				let open = true;
				raw.on('close', () => {
					open = false;
				});
				const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

				let highest = 0;
				let last = '';
				let lastWriteAt = Date.now();
				try {
					while (open) {
						const progress = await readProgress(context, request.owner, renderId);
						highest = Math.max(highest, progress.overallProgress);
						const shown = {...progress, overallProgress: highest};
						if (progress.done || progress.fatalErrorEncountered) {
							send(progress.done ? 'done' : 'error', shown);
							break;
						}
						const now = signature(shown);
						if (now !== last) {
							send('progress', shown);
							last = now;
							lastWriteAt = Date.now();
						} else if (Date.now() - lastWriteAt > KEEP_ALIVE_MS) {
							raw.write(': keep-alive\n\n');
							lastWriteAt = Date.now();
						}
						await new Promise((resolve) => setTimeout(resolve, TICK_MS));
					}
				} catch (err) {
					// The render was removed (retention) or the backend failed: say so, then close.
					if (open) {
						send('error', {message: (err as Error).message});
					}
				} finally {
					raw.end();
				}
			},
		);
	};
