import type {Readable} from 'node:stream';
import type {FastifyPluginAsyncZod} from 'fastify-type-provider-zod';
import {z} from 'zod';
import {SHARED_SITES} from '../../sites/site-keys.js';
import {siteFilesSchema, siteNameSchema, type SiteManifest} from '../../sites/site-manifest.js';
import type {AppContext} from '../app-context.js';
import {HttpError, notFound} from '../http-error.js';
import {errorResponseSchema} from '../schemas.js';

// One file of a bundle: a project's public/ folder may hold long videos.
export const MAX_SITE_FILE_BYTES = 1024 * 1024 * 1024;

const siteParamsSchema = z.object({siteName: siteNameSchema});
const contentParamsSchema = z.object({siteName: siteNameSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex')});
const filesBodySchema = z.object({files: siteFilesSchema}, {error: 'must be a JSON object with files'});

// ?shared=true: the site every key may render (sites create --shared); only the key that deployed it changes it.
const sharedQuerySchema = z.object({shared: z.enum(['true', 'false'], {error: 'must be true or false'}).default('false').transform((value) => value === 'true')});

const siteSummarySchema = z.object({
	siteName: z.string(),
	/** Every key may render it; only the key that deployed it may replace or remove it. */
	shared: z.boolean(),
	/** What renders take as serveUrl (siteName works as well). */
	serveUrl: z.string(),
	hash: z.string(),
	files: z.number().int(),
	sizeInBytes: z.number().int(),
	deployedAt: z.number().int(),
});

/** Where a site is named in renders: a URL of this API that ends in the site's name. */
export const serveUrlOf = (publicUrl: string, siteName: string) => `${publicUrl}/api/sites/${siteName}/`;

const summaryOf = (publicUrl: string, site: SiteManifest) => ({
	siteName: site.siteName,
	shared: site.shared,
	serveUrl: serveUrlOf(publicUrl, site.siteName),
	hash: site.hash,
	files: site.files.length,
	sizeInBytes: site.files.reduce((sum, file) => sum + file.size, 0),
	deployedAt: site.deployedAt,
});

/**
 * Deployed sites of the caller's key (`framefarm sites create` uses these): plan a deploy (which
 * contents the bucket lacks), upload each by its SHA-256, then put the site's file list, which
 * makes it the site's new version. A key sees and changes only its own sites.
 */
export const siteRoutes =
	(context: AppContext): FastifyPluginAsyncZod =>
	async (app) => {
		// Contents arrive as raw bytes and are streamed to the bucket, never held in memory.
		app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

		/**
		 * Where a deploy of this site goes: the key's own sites, or the shared ones, where a name
		 * taken by another key is refused (409: shared sites are visible to every key anyway).
		 */
		const deployOwner = async (owner: string, siteName: string, shared: boolean): Promise<string> => {
			if (!shared) {
				return owner;
			}
			const existing = await context.sites.get(SHARED_SITES, siteName);
			if (existing !== null && existing.deployedBy !== owner) {
				throw new HttpError(409, 'site_taken', `The shared site "${siteName}" was deployed by another key; deploy yours under another name`);
			}
			return SHARED_SITES;
		};

		app.get('/api/sites', {schema: {summary: 'Your deployed sites, and the shared ones', response: {200: z.object({sites: z.array(siteSummarySchema), bucketName: z.string()})}}}, async (request) => ({
			bucketName: context.storage.bucketName,
			sites: [...(await context.sites.list(request.owner)), ...(await context.sites.list(SHARED_SITES))].map((site) => summaryOf(context.publicUrl, site)),
		}));

		app.get(
			'/api/sites/:siteName',
			{schema: {summary: 'One of your sites', params: siteParamsSchema, response: {200: siteSummarySchema, 404: errorResponseSchema}}},
			async (request) => {
				const site = (await context.sites.get(request.owner, request.params.siteName)) ?? (await context.sites.get(SHARED_SITES, request.params.siteName));
				if (site === null) {
					throw notFound(`Site ${request.params.siteName}`);
				}
				return summaryOf(context.publicUrl, site);
			},
		);

		app.post(
			'/api/sites/:siteName/plan',
			{schema: {summary: 'Which contents of a deploy to upload', params: siteParamsSchema, querystring: sharedQuerySchema, body: filesBodySchema, response: {200: z.object({missing: z.array(z.string())})}}},
			async (request) => ({missing: await context.sites.plan(await deployOwner(request.owner, request.params.siteName, request.query.shared), request.params.siteName, request.body.files)}),
		);

		app.put(
			'/api/sites/:siteName/contents/:sha256',
			{
				bodyLimit: MAX_SITE_FILE_BYTES,
				schema: {summary: 'Upload one file of a deploy, by its SHA-256', params: contentParamsSchema, querystring: sharedQuerySchema, response: {200: z.object({sha256: z.string(), size: z.number().int()}), 400: errorResponseSchema}},
			},
			async (request) => {
				if (request.headers['content-type'] !== 'application/octet-stream') {
					throw new HttpError(415, 'unsupported_media_type', 'Send the file as Content-Type: application/octet-stream');
				}
				if (request.headers['content-length'] === undefined) {
					throw new HttpError(411, 'length_required', 'Send the file with its Content-Length');
				}
				if (Number(request.headers['content-length']) > MAX_SITE_FILE_BYTES) {
					throw new HttpError(413, 'body_too_large', `A site's file may be at most ${MAX_SITE_FILE_BYTES} bytes`);
				}
				const owner = await deployOwner(request.owner, request.params.siteName, request.query.shared);
				const {size} = await context.sites.putContent(owner, request.params.siteName, request.params.sha256, request.body as Readable);
				return {sha256: request.params.sha256, size};
			},
		);

		app.put(
			'/api/sites/:siteName',
			{
				schema: {
					summary: 'Deploy a site: make these uploaded files its contents',
					params: siteParamsSchema,
					querystring: sharedQuerySchema,
					body: filesBodySchema,
					// removedFiles: contents of the version before that this one no longer has.
					response: {200: siteSummarySchema.extend({removedFiles: z.number().int()}), 400: errorResponseSchema, 409: errorResponseSchema},
				},
			},
			async (request) => {
				const owner = await deployOwner(request.owner, request.params.siteName, request.query.shared);
				const {site, removedFiles} = await context.sites.commit(owner, request.params.siteName, request.body.files, {at: context.now(), by: request.owner});
				return {...summaryOf(context.publicUrl, site), removedFiles};
			},
		);

		app.delete(
			'/api/sites/:siteName',
			{schema: {summary: 'Remove a site', params: siteParamsSchema, querystring: sharedQuerySchema, response: {200: z.object({siteName: z.string(), removed: z.literal(true)}), 404: errorResponseSchema}}},
			async (request) => {
				const {siteName} = request.params;
				// Another key's shared site is as absent as another key's own.
				const shared = request.query.shared ? await context.sites.get(SHARED_SITES, siteName) : null;
				const owner = request.query.shared && shared?.deployedBy === request.owner ? SHARED_SITES : request.query.shared ? null : request.owner;
				if (owner === null || !(await context.sites.remove(owner, siteName))) {
					throw notFound(`Site ${request.params.siteName}`);
				}
				return {siteName: request.params.siteName, removed: true as const};
			},
		);
	};
