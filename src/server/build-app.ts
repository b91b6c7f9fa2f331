import fastifySwagger from '@fastify/swagger';
import Fastify, {LogController, type FastifyBaseLogger, type FastifyInstance} from 'fastify';
import type {Logger} from '../logging/create-logger.js';
import {metricsEndpoint} from '../metrics/metrics-answer.js';
import {jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider} from 'fastify-type-provider-zod';
import type {AppContext} from './app-context.js';
import {drainUnreadBody} from './drain-unread-body.js';
import {handleError} from './handle-error.js';
import {createReadiness} from './readiness.js';
import {registerSubmitRateLimit} from './submit-rate-limit.js';
import {HttpError, invalidKey} from './http-error.js';
import {compileRoute} from './routes/compile-route.js';
import {compositionsRoute} from './routes/compositions-route.js';
import {registerDashboard} from './routes/dashboard-route.js';
import {eventsRoute} from './routes/events-route.js';
import {filesRoutes} from './routes/files-routes.js';
import {liveRoute} from './routes/live-route.js';
import {manageRoutes} from './routes/manage-routes.js';
import {presignRoute} from './routes/presign-route.js';
import {progressRoutes} from './routes/progress-routes.js';
import {renderRoutes} from './routes/render-routes.js';
import {siteRoutes} from './routes/site-routes.js';

declare module 'fastify' {
	interface FastifyRequest {
		/** Who is asking: the hash of their API key (see auth.ts). */
		owner: string;
	}
}

// How much of a refused body is read so that its sender sees the answer (see drainUnreadBody).
const DRAIN_AT_LEAST_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMES_LIMIT = 4;
const RETRY_AFTER_SECONDS = 5;

/** The HTTP API, without listen(): tests drive it with app.inject(), serve() puts it on a port. */
export const buildApp = async (context: AppContext, {logger}: {logger?: Logger} = {}): Promise<FastifyInstance> => {
	// Fastify's own line per request is off: it carries the URL, and with it render ids and signed
	// URLs' signatures; the hook below logs the route pattern instead (at debug: polls are many).
	const app = Fastify({...(logger ? {loggerInstance: logger as FastifyBaseLogger} : {logger: false}), logController: new LogController({disableRequestLogging: true}), bodyLimit: context.limits.maxBodyBytes}).withTypeProvider<ZodTypeProvider>();
	app.setValidatorCompiler(validatorCompiler);
	app.setSerializerCompiler(serializerCompiler);
	app.setErrorHandler(handleError);
	drainUnreadBody(app, Math.max(DRAIN_AT_LEAST_BYTES, DRAIN_TIMES_LIMIT * context.limits.maxBodyBytes));
	app.setNotFoundHandler((request, reply) => reply.status(404).send({error: `No route ${request.method} ${request.url.split('?')[0]}`, code: 'not_found'}));

	await app.register(fastifySwagger, {
		openapi: {
			info: {title: 'framefarm', version: '0.1.0', description: 'A self-hosted render farm for Remotion motion graphics.'},
			components: {securitySchemes: {apiKey: {type: 'http', scheme: 'bearer'}}},
			security: [{apiKey: []}],
		},
		transform: jsonSchemaTransform,
	});

	app.addHook('onResponse', async (request, reply) => {
		// The route's pattern, never its URL: a bounded label set (and no render ids or keys).
		const route = request.routeOptions.url ?? 'unmatched';
		context.metrics.httpRequest({route, method: request.method, status: reply.statusCode, seconds: reply.elapsedTime / 1000});
		request.log.debug({method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime)}, 'request');
	});

	app.decorateRequest('owner', '');
	app.addHook('onRequest', async (request) => {
		const api = request.url.startsWith('/api/');
		if (api) {
			const owner = context.authenticate(request.headers.authorization);
			if (owner === null) {
				throw invalidKey();
			}
			request.owner = owner;
		}
		// Answered at once while the backend is away, rather than held until it is back.
		const problem = api || request.url.startsWith('/files/') ? context.backend.problem() : null;
		if (problem !== null) {
			throw new HttpError(503, 'backend_unavailable', `${problem}. Try again shortly.`, {'retry-after': String(RETRY_AFTER_SECONDS)});
		}
	});

	await registerSubmitRateLimit(app, context);
	await app.register(renderRoutes(context));
	await app.register(progressRoutes(context));
	await app.register(eventsRoute(context));
	await app.register(manageRoutes(context));
	await app.register(siteRoutes(context));
	await app.register(compositionsRoute(context));
	await app.register(presignRoute(context));
	await app.register(compileRoute(context));

	await app.register(liveRoute(context));
	await app.register(filesRoutes(context));

	await registerDashboard(app);
	app.get('/openapi.json', {schema: {hide: true}}, async () => app.swagger());
	// /health: the process is up. /ready: it can serve (for load balancers), else 503 with why.
	app.get('/health', {schema: {hide: true}}, async () => ({ok: true}));
	const metrics = metricsEndpoint(context.metrics.registry, context.metricsToken);
	app.get('/metrics', {schema: {hide: true}}, async (request, reply) => {
		const {status, contentType, body} = await metrics(request.headers.authorization);
		return reply.status(status).type(contentType).send(body);
	});
	const readiness = createReadiness(context);
	app.get('/ready', {schema: {hide: true}}, async (_request, reply) => {
		const reason = await readiness();
		return reason === null ? {ready: true} : reply.status(503).send({ready: false, error: reason, code: 'not_ready'});
	});
	return app;
};
