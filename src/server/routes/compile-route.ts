import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import {compileCode} from '../../code/compile-code.js';
import type {AppContext} from '../app-context.js';
import {errorResponseSchema} from '../schemas.js';
import {checkCodeSize} from '../submit-limits.js';

const compileBodySchema = z.object({code: z.string({error: 'must be a string of TSX'})}, {error: 'must be a JSON object with code'});

/**
 * Compiles code as a code render compiles it, without rendering: the dashboard's preview runs
 * the answer in the built-in site's composition, so it plays what the farm would render. A
 * compile error is a 400 with its line and column.
 */
export const compileRoute =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.post(
			'/api/compile',
			{
				schema: {
					summary: 'Compile code as a render would (the playground preview)',
					body: compileBodySchema,
					response: {200: z.object({js: z.string(), exportName: z.string()}), 400: errorResponseSchema, 413: errorResponseSchema},
				},
			},
			async (request) => {
				checkCodeSize(request.body.code, context.limits);
				const {js, exportName} = await compileCode(request.body.code);
				return {js, exportName};
			},
		);
	};
