import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import type {AppContext} from '../app-context.js';
import {notFound} from '../http-error.js';
import {ownerOfRender} from '../render-owner.js';
import {errorResponseSchema} from '../schemas.js';

// As long as S3 lets a presigned URL live (SigV4): 7 days.
export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

const presignBodySchema = z.object(
	{
		// Segments as the bucket takes them (see checkKey): letters, digits, . _ -, none of them '.' or '..'.
		objectKey: z.string().regex(/^renders(\/[A-Za-z0-9_][A-Za-z0-9._-]*){2,}$/, 'must be the key of a file of one of your renders, as renders/<renderId>/<file> (outKey of the progress)'),
		expiresInSeconds: z.number().int().min(1).max(MAX_PRESIGN_SECONDS),
		checkIfObjectExists: z.boolean().default(false),
	},
	{error: 'must be a JSON object with objectKey and expiresInSeconds'},
);

/**
 * A URL of one of the key's render files that works without the key for `expiresInSeconds`
 * (Lambda's presignUrl()): presigned by the bucket, or this API's signed /files/ URL. A file of
 * another key's render is as absent as a file that does not exist.
 */
export const presignRoute =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		app.post(
			'/api/presign',
			{schema: {summary: 'A URL of a render file that expires', body: presignBodySchema, response: {200: z.object({url: z.string().nullable()}), 404: errorResponseSchema}}},
			async (request) => {
				const {objectKey, expiresInSeconds, checkIfObjectExists} = request.body;
				const owned = (await ownerOfRender(context, objectKey.split('/')[1]!)) === request.owner;
				if (checkIfObjectExists && (!owned || (await context.storage.head(objectKey)) === null)) {
					return {url: null};
				}
				if (!owned) {
					throw notFound(`File ${objectKey}`);
				}
				return {url: await context.storage.url(objectKey, expiresInSeconds)};
			},
		);
	};
