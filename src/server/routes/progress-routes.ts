import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import {toAppProgress} from '../../progress/to-app-progress.js';
import {toStatus} from '../../progress/to-status.js';
import {chunkTimelines} from '../../backend/chunk-log.js';
import type {AppContext} from '../app-context.js';
import {findRender, readProgress} from '../read-progress.js';
import {
	appProgressResponseSchema,
	chunksResponseSchema,
	errorResponseSchema,
	lambdaProgressBodySchema,
	progressResponseSchema,
	renderIdParamsSchema,
	statusResponseSchema,
} from '../schemas.js';

/** The three progress answers, all computed from the one progress object; the render's chunks and log. */
export const progressRoutes =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.get(
			'/api/render/:renderId',
			{schema: {summary: 'Render status (Swiftia contract)', params: renderIdParamsSchema, response: {200: statusResponseSchema, 404: errorResponseSchema}}},
			async (request) => toStatus(await readProgress(context, request.owner, request.params.renderId)),
		);

		app.post(
			'/api/lambda/progress',
			{schema: {summary: 'Render progress (prompt-to-motion-graphics app contract)', body: lambdaProgressBodySchema, response: {200: appProgressResponseSchema, 404: errorResponseSchema}}},
			async (request) => toAppProgress(await readProgress(context, request.owner, request.body.id)),
		);

		app.get(
			'/api/render/:renderId/progress',
			{schema: {summary: "Remotion Lambda's getRenderProgress() object", params: renderIdParamsSchema, response: {200: progressResponseSchema, 404: errorResponseSchema}}},
			async (request) => readProgress(context, request.owner, request.params.renderId),
		);

		app.get(
			'/api/render/:renderId/chunks',
			{schema: {summary: "Each chunk's attempts: when, on which worker slot, how they ended (the dashboard's timeline)", params: renderIdParamsSchema, response: {200: chunksResponseSchema, 404: errorResponseSchema}}},
			async (request) => {
				const render = await findRender(context, request.owner, request.params.renderId);
				const [chunks, log] = await Promise.all([context.backend.getChunks(render.id), context.backend.getLog(render.id)]);
				return {chunks: chunkTimelines(chunks, log)};
			},
		);

		app.get(
			'/api/render/:renderId/log',
			{schema: {summary: 'The render log: chunks, worker slots, timings, errors', params: renderIdParamsSchema, response: {200: z.string(), 404: errorResponseSchema}}},
			async (request, reply) => {
				await findRender(context, request.owner, request.params.renderId);
				const lines = await context.backend.getLog(request.params.renderId);
				return reply.type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
			},
		);
	};
