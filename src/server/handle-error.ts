import type {FastifyError, FastifyReply, FastifyRequest} from 'fastify';
import {hasZodFastifySchemaValidationErrors} from 'fastify-type-provider-zod';
import {CompileError} from '../code/compile-error.js';
import {CompositionError} from '../sites/site-browser.js';
import {SiteDeployError} from '../sites/site-store.js';
import {HttpError} from './http-error.js';

// Where a validation error happened, as the client names it: "inputProps.fps", "limit", "renderId".
const fieldName = (instancePath: string, context: string | undefined): string => {
	const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
	return path === '' ? (context ?? 'body') : path;
};

/**
 * Maps every error to a JSON body `{error, code}` with the right status. Client mistakes say what
 * was wrong; a 5xx never shows internals, only that something failed on the server.
 */
export const handleError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
	if (error instanceof HttpError) {
		return reply.status(error.status).headers(error.headers).send({error: error.message, code: error.code});
	}
	if (error instanceof SiteDeployError) {
		return reply.status(400).send({error: error.message, code: error.code});
	}
	// A site's page could not set up the composition with the request's props (a render, a list).
	if (error instanceof CompositionError) {
		return reply.status(400).send({error: error.message, code: 'invalid_composition'});
	}
	if (error instanceof CompileError) {
		return reply.status(400).send({error: error.message, code: error.code, line: error.line, column: error.column});
	}
	if (hasZodFastifySchemaValidationErrors(error)) {
		const message = error.validation
			.map((issue) => `${fieldName(issue.instancePath, error.validationContext)} ${issue.message}`)
			.join('; ');
		return reply.status(400).send({error: message, code: 'invalid_request'});
	}
	if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
		const limit = request.routeOptions.bodyLimit ?? 'the';
		return reply.status(413).send({error: `The request body is larger than this server takes: at most ${limit} bytes (FRAMEFARM_MAX_BODY_BYTES)`, code: 'body_too_large'});
	}
	if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
		const type = String(request.headers['content-type'] ?? 'none');
		return reply.status(415).send({error: `Content-Type ${type} is not supported: send application/json`, code: 'unsupported_media_type'});
	}
	const status = error.statusCode ?? 500;
	if (status >= 400 && status < 500) {
		// Fastify's own: malformed JSON, unsupported content type, body too large...
		return reply.status(status).send({error: error.message, code: (error.code ?? 'bad_request').toLowerCase()});
	}
	request.log.error({err: error}, 'request failed');
	return reply.status(500).send({error: 'Internal server error', code: 'internal'});
};
