import type {FastifyRequest} from 'fastify';
import type {AppContext} from './app-context.js';
import {HttpError, invalidKey} from './http-error.js';
import {ownerOfRender} from './render-owner.js';

// renders/<id>/...: the render whose owner may read it.
export const renderOfKey = (key: string): string | null => /^renders\/([^/]+)\//.exec(key)?.[1] ?? null;

export const fileNotFound = (key: string) => new HttpError(404, 'not_found', `No file ${key}`);

/**
 * Whether a request may read a key of the bucket through the API: a signed URL that the API handed
 * out (expiring, for players and links), or the Bearer key of the render's owner. Anyone else
 * learns nothing, not even whether the render exists. Throws the answer when it may not.
 */
export const authorizeFile = async (context: AppContext, request: FastifyRequest, key: string): Promise<void> => {
	const query = request.query as {expires?: unknown; signature?: unknown};
	if (query.signature !== undefined || query.expires !== undefined) {
		const check = context.fileUrls.check(key, query);
		if (!check.ok) {
			throw check.reason === 'expired'
				? new HttpError(403, 'url_expired', 'This file URL has expired: ask the API for a fresh one (GET /api/render/{renderId})')
				: new HttpError(403, 'invalid_signature', 'This file URL is not valid: its signature does not match its path and expiry');
		}
		return;
	}
	if (request.headers.authorization === undefined) {
		throw new HttpError(401, 'unauthorized', 'Files need a signed URL from the API, or "Authorization: Bearer <key>" of their owner');
	}
	const owner = context.authenticate(request.headers.authorization);
	if (owner === null) {
		throw invalidKey();
	}
	const renderId = renderOfKey(key);
	if (renderId === null || (await ownerOfRender(context, renderId)) !== owner) {
		throw fileNotFound(key);
	}
};
