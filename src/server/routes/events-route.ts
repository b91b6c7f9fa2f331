import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import type {RenderProgress} from '../../progress/progress-schemas.js';
import type {AppContext} from '../app-context.js';
import {streamEvents} from '../event-stream.js';
import {findRender, readProgress} from '../read-progress.js';
import {listRenderPage} from '../list-renders.js';
import {errorResponseSchema, listQuerySchema, renderIdParamsSchema} from '../schemas.js';

// At most about 4 events a second for a render, one for a list of renders.
const TICK_MS = 250;
const LIST_TICK_MS = 1000;

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
 * GET /api/renders/events: the page of GET /api/renders, sent again whenever it changes (the
 * dashboard's list: one stream for the page rather than one per render).
 *
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
				let highest = 0;
				await streamEvents(
					reply,
					async () => {
						const progress = await readProgress(context, request.owner, renderId);
						highest = Math.max(highest, progress.overallProgress);
						const shown = {...progress, overallProgress: highest};
						const final = progress.done || progress.fatalErrorEncountered;
						return {event: progress.done ? 'done' : final ? 'error' : 'progress', data: shown, signature: signature(shown), final};
					},
					TICK_MS,
				);
			},
		);

		app.get(
			'/api/renders/events',
			{schema: {summary: 'A page of your renders as Server-Sent Events: a `renders` event whenever it changes', querystring: listQuerySchema}},
			async (request, reply) => {
				await streamEvents(
					reply,
					async () => {
						const page = await listRenderPage(context, request.owner, request.query);
						return {event: 'renders', data: page, signature: JSON.stringify(page), final: false};
					},
					LIST_TICK_MS,
				);
			},
		);
	};
