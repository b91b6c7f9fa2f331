import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import type {RenderRecord} from '../../backend/render-record.js';
import type {AppContext} from '../app-context.js';
import {HttpError} from '../http-error.js';
import {findRender} from '../read-progress.js';
import {errorResponseSchema, lambdaRenderBodySchema, lambdaRenderResponseSchema, renderIdParamsSchema, stillBodySchema, stillResponseSchema, submitBodySchema, submitResponseSchema} from '../schemas.js';
import {renderStillFor} from '../render-still.js';
import {SUBMIT_RATE_LIMIT} from '../submit-rate-limit.js';
import {renderAgain, submitRender} from '../submit-render.js';
import {renderFolder} from '../../worker/render-keys.js';

/** POST /api/render (framefarm / Swiftia style), POST /api/lambda/render (the app's) and POST /api/still. */
export const renderRoutes =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		const queuedAnswer = ({render, queuePosition}: {render: RenderRecord; queuePosition: number | null}) => ({
			renderId: render.id,
			bucketName: context.storage.bucketName,
			status: 'queued' as const,
			queuePosition,
			cloudWatchLogs: `${context.publicUrl}/api/render/${render.id}/log`,
			folderInS3Console: context.storage.folderUrl(renderFolder(render.id)),
		});

		const refuseWithoutStorage = () => {
			if (context.storageProblem !== null) {
				throw new HttpError(500, 'storage_not_configured', context.storageProblem);
			}
		};

		app.post(
			'/api/render',
			{
				config: SUBMIT_RATE_LIMIT,
				schema: {
					summary: 'Queue a render',
					body: submitBodySchema,
					response: {202: submitResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema, 413: errorResponseSchema, 429: errorResponseSchema},
				},
			},
			async (request, reply) => {
				refuseWithoutStorage();
				return reply.status(202).send(queuedAnswer(await submitRender(context, request.owner, request.body)));
			},
		);

		app.post(
			'/api/render/:renderId/again',
			{
				config: SUBMIT_RATE_LIMIT,
				schema: {
					summary: "Queue a render's job once more, under a new id",
					params: renderIdParamsSchema,
					response: {202: submitResponseSchema, 404: errorResponseSchema, 429: errorResponseSchema},
				},
			},
			async (request, reply) => {
				refuseWithoutStorage();
				const previous = await findRender(context, request.owner, request.params.renderId);
				return reply.status(202).send(queuedAnswer(await renderAgain(context, request.owner, previous)));
			},
		);

		app.post(
			'/api/still',
			{
				config: SUBMIT_RATE_LIMIT,
				schema: {
					summary: 'Render one frame as an image, and wait for it (renderStillOnLambda())',
					body: stillBodySchema,
					response: {200: stillResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema, 429: errorResponseSchema},
				},
			},
			async (request) => {
				refuseWithoutStorage();
				return renderStillFor(context, request.owner, request.body);
			},
		);

		app.post(
			'/api/lambda/render',
			{
				config: SUBMIT_RATE_LIMIT,
				schema: {
					summary: 'Queue a render (prompt-to-motion-graphics app contract)',
					body: lambdaRenderBodySchema,
					response: {200: lambdaRenderResponseSchema, 400: errorResponseSchema, 413: errorResponseSchema, 429: errorResponseSchema, 500: errorResponseSchema},
				},
			},
			async (request) => {
				refuseWithoutStorage();
				const body = submitBodySchema.parse({inputProps: request.body.inputProps});
				const {render} = await submitRender(context, request.owner, body);
				return {
					renderId: render.id,
					bucketName: context.storage.bucketName,
					cloudWatchLogs: `${context.publicUrl}/api/render/${render.id}/log`,
					folderInS3Console: context.storage.folderUrl(renderFolder(render.id)),
				};
			},
		);
	};
