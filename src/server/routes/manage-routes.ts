import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import {FINISHED_STATUSES} from '../../backend/render-record.js';
import {renderFolder} from '../../worker/render-keys.js';
import {toStatus} from '../../progress/to-status.js';
import type {AppContext} from '../app-context.js';
import {HttpError} from '../http-error.js';
import {listRenderPage} from '../list-renders.js';
import {findRender, readProgress} from '../read-progress.js';
import {errorResponseSchema, listQuerySchema, listResponseSchema, renderIdParamsSchema, statusResponseSchema} from '../schemas.js';

/** Listing and cancelling renders. */
export const manageRoutes =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.get(
			'/api/renders',
			{schema: {summary: 'Your renders, newest first', querystring: listQuerySchema, response: {200: listResponseSchema}}},
			async (request) => listRenderPage(context, request.owner, request.query),
		);

		app.delete(
			'/api/render/:renderId',
			{schema: {summary: 'Cancel a render', params: renderIdParamsSchema, response: {200: statusResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema}}},
			async (request) => {
				const render = await findRender(context, request.owner, request.params.renderId);
				if (render.status === 'done') {
					throw new HttpError(409, 'already_done', `Render ${render.id} is already done and cannot be cancelled`);
				}
				await context.backend.cancelRender(render.id);
				return toStatus(await readProgress(context, request.owner, render.id));
			},
		);

		app.delete(
			'/api/renders/:renderId',
			{
				schema: {
					summary: 'Delete a finished render: its output, its files and its record (Lambda\'s deleteRender())',
					params: renderIdParamsSchema,
					response: {200: z.object({freedBytes: z.number().int()}), 404: errorResponseSchema, 409: errorResponseSchema},
				},
			},
			async (request) => {
				const render = await findRender(context, request.owner, request.params.renderId);
				if (!FINISHED_STATUSES.includes(render.status)) {
					throw new HttpError(409, 'not_finished', `Render ${render.id} is still ${render.status}: cancel it first (DELETE /api/render/${render.id})`);
				}
				const folder = renderFolder(render.id);
				const freedBytes = (await context.storage.list(folder)).reduce((sum, object) => sum + object.size, 0);
				await context.storage.deletePrefix(folder);
				await context.backend.deleteRender(render.id);
				return {freedBytes};
			},
		);
	};
