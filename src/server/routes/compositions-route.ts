import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import {siteNameSchema} from '../../sites/site-manifest.js';
import type {AppContext} from '../app-context.js';
import {findSite} from '../find-site.js';
import {errorResponseSchema} from '../schemas.js';

const compositionsBodySchema = z
	.strictObject(
		{
			siteName: siteNameSchema.optional(),
			serveUrl: z.string({error: 'must be a string'}).optional(),
			inputProps: z.record(z.string(), z.unknown(), {error: "must be an object: the props calculateMetadata() is given"}).default({}),
		},
		{error: 'must be a JSON object with siteName (or serveUrl) and inputProps'},
	)
	.superRefine((body, ctx) => {
		if ((body.siteName === undefined) === (body.serveUrl === undefined)) {
			ctx.addIssue({code: 'custom', message: 'or serveUrl must name the site, and only one of them', path: ['siteName']});
		}
	});

// A composition as Remotion's getCompositions() describes it (Lambda's getCompositionsOnLambda() too).
const compositionSchema = z.object({
	id: z.string(),
	width: z.number(),
	height: z.number(),
	fps: z.number(),
	durationInFrames: z.number(),
	defaultProps: z.record(z.string(), z.unknown()),
	props: z.record(z.string(), z.unknown()),
	defaultCodec: z.string().nullable(),
	defaultOutName: z.string().nullable(),
	defaultVideoImageFormat: z.string().nullable(),
	defaultPixelFormat: z.string().nullable(),
	defaultProResProfile: z.string().nullable(),
	defaultSampleRate: z.number().nullable(),
});

/** The compositions of one of the key's sites (or a shared one), set up for the inputProps; a page that cannot is a 400. */
export const compositionsRoute =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.post(
			'/api/compositions',
			{schema: {summary: "A site's compositions", body: compositionsBodySchema, response: {200: z.object({compositions: z.array(compositionSchema)}), 400: errorResponseSchema}}},
			async (request) => {
				const site = await findSite(context, request.owner, request.body);
				// The response schema keeps VideoConfig's fields and drops anything else.
				return {compositions: await context.siteBrowser.listCompositions(site, request.body.inputProps)};
			},
		);
	};
