import type {FastifyPluginAsync} from 'fastify';
import type {AppContext} from '../app-context.js';
import {checkKey} from '../../storage/check-key.js';
import {HttpError} from '../http-error.js';

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
 * The bucket through the API, for storage that clients do not reach themselves (S3 with
 * FRAMEFARM_S3_URLS=api, folders off AWS): objects streamed with Range support, folders listed.
 */
export const filesRoutes =
	(context: AppContext): FastifyPluginAsync =>
	async (app) => {
		app.get('/files/*', {schema: {hide: true}}, async (request, reply) => {
			const key = (request.params as {'*': string})['*'];
			const notFound = new HttpError(404, 'not_found', `No file ${key}`);
			try {
				checkKey(key, {prefix: true});
			} catch {
				throw notFound;
			}
			if (key.endsWith('/')) {
				const objects = await context.storage.list(key);
				const names = objects.map((object) => object.key.slice(key.length));
				return {
					dirs: [...new Set(names.filter((name) => name.includes('/')).map((name) => name.split('/')[0]))],
					files: names.filter((name) => !name.includes('/')),
				};
			}
			const head = await context.storage.head(key);
			if (head === null) {
				throw notFound;
			}
			const range = parseRange(request.headers.range, head.size);
			if (range === 'unsatisfiable') {
				return reply.status(416).header('content-range', `bytes */${head.size}`).send({error: 'Range not satisfiable', code: 'range_not_satisfiable'});
			}
			const object = await context.storage.read(key, range ?? undefined);
			if (object === null) {
				throw notFound;
			}
			reply.header('accept-ranges', 'bytes').type(key.endsWith('.mp4') ? 'video/mp4' : 'application/octet-stream');
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
