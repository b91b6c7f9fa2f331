import fastifyRateLimit from '@fastify/rate-limit';
import type {FastifyInstance} from 'fastify';
import type {Redis} from 'ioredis';
import type {AppContext} from './app-context.js';
import {HttpError} from './http-error.js';

/** Where the submit counters live: in Redis, shared by every API server of a farm, or in this process. */
export type RateLimitStore = {redis: Redis; namespace: string} | null;

/**
 * The per-key submit rate (FRAMEFARM_RATE_LIMIT renders a minute), counted by @fastify/rate-limit
 * per API key in fixed one-minute windows: in Redis in distributed mode, so that N API servers
 * behind a load balancer still take the rate once, not N times. Routes opt in with
 * `config: SUBMIT_RATE_LIMIT`; it runs after the key check and the body's validation, so a
 * refused or malformed request costs nothing.
 */
export const registerSubmitRateLimit = async (app: FastifyInstance, context: AppContext): Promise<void> => {
	const perMinute = context.limits.submitsPerMinute;
	await app.register(fastifyRateLimit, {
		global: false,
		max: perMinute,
		timeWindow: 60_000,
		hook: 'preHandler',
		keyGenerator: (request) => request.owner,
		...(context.rateLimitStore === null ? {} : {redis: context.rateLimitStore.redis, nameSpace: context.rateLimitStore.namespace}),
		// Redis away: the API answers 503 before this runs; a store error alone does not refuse a render.
		skipOnError: true,
		addHeadersOnExceeding: {'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true},
		errorResponseBuilder: (_request, {after, ttl}) => {
			const seconds = Math.max(1, Math.ceil(ttl / 1000));
			return new HttpError(429, 'rate_limited', `This API key may submit ${perMinute} renders a minute (FRAMEFARM_RATE_LIMIT); try again in ${after}`, {
				'retry-after': String(seconds),
			});
		},
	});
};

/** A route's `config` that counts its requests against the submit rate (the settings above). */
export const SUBMIT_RATE_LIMIT = {rateLimit: {}} as const;
