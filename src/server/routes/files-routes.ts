import type {FastifyPluginAsync} from 'fastify';
import type {AppContext} from '../app-context.js';
import {contentTypeOf} from '../../storage/content-type-of.js';
import {contentDispositionOf} from '../../render/content-disposition-of.js';
import {checkKey} from '../../storage/check-key.js';
import {authorizeFile, fileNotFound, renderOfKey} from '../authorize-file.js';

type Range = {start: number; end: number};

/** Parses a single-range `Range: bytes=...` header against the object's size; null when absent. */
const parseRange = (header: string | undefined, size: number): Range | 'unsatisfiable' | null => {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
	if (!match || (match[1] === '' && match[2] === '')) {
		return null;
	}
	const [start, end] =
		match[1] === '' ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)];
	return start > end || start >= size ? 'unsatisfiable' : {start, end};
};


/**
 * The bucket through the API, in embedded mode and for S3 with FRAMEFARM_S3_URLS=api: objects
 * streamed with Range support, a render's folders listed. Every request shows its right to the
 * file (authorizeFile()).
 */
export const filesRoutes =
	(context: AppContext): FastifyPluginAsync =>
	async (app) => {
		// A render's output asked for with downloadBehavior {type: 'download'} downloads rather than plays.
		const dispositionOf = async (key: string): Promise<string | null> => {
			const renderId = renderOfKey(key);
			const render = renderId === null ? null : await context.backend.getRender(renderId);
			return render !== null && render.outKey === key ? contentDispositionOf(render.job) : null;
		};

		const listFolder = async (prefix: string) => {
			const objects = await context.storage.list(prefix);
			if (objects.length === 0) {
				throw fileNotFound(prefix);
			}
			const names = objects.map((object) => ({...object, name: object.key.slice(prefix.length)}));
			const dirs = [...new Set(names.filter(({name}) => name.includes('/')).map(({name}) => name.split('/')[0]!))];
			return {
				prefix,
				dirs: dirs.map((name) => ({name, url: context.fileUrls.url(`${prefix}${name}/`)})),
				files: names.filter(({name}) => !name.includes('/')).map(({name, key, size}) => ({name, size, url: context.fileUrls.url(key)})),
			};
		};

		app.get('/files/*', {schema: {hide: true}}, async (request, reply) => {
			const key = (request.params as {'*': string})['*'];
			await authorizeFile(context, request, key);
			try {
				checkKey(key, {prefix: true});
			} catch {
				throw fileNotFound(key);
			}
			if (key.endsWith('/')) {
				return listFolder(key);
			}
			const head = await context.storage.head(key);
			if (head === null) {
				throw fileNotFound(key);
			}
			const range = parseRange(request.headers.range, head.size);
			if (range === 'unsatisfiable') {
				return reply.status(416).header('content-range', `bytes */${head.size}`).send({error: 'Range not satisfiable', code: 'range_not_satisfiable'});
			}
			const object = await context.storage.read(key, range ?? undefined);
			if (object === null) {
				throw fileNotFound(key);
			}
			// A signed URL is a capability that expires: nothing in between may keep the file longer.
			reply.header('accept-ranges', 'bytes').header('cache-control', 'private, no-store').type(contentTypeOf(key));
			const disposition = await dispositionOf(key);
			if (disposition !== null) {
				reply.header('content-disposition', disposition);
			}
			if (range === null) {
				return reply.header('content-length', head.size).send(object.body);
			}
			return reply
				.status(206)
				.header('content-range', `bytes ${range.start}-${range.end}/${head.size}`)
				.header('content-length', range.end - range.start + 1)
				.send(object.body);
		});
	};
