import type {Registry} from 'prom-client';
import {createAuth} from '../server/auth.js';

export type MetricsAnswer = {status: number; contentType: string; body: string};

/**
 * GET /metrics of serve and of a worker's metrics port: the registry in the Prometheus text
 * format, or 401 without the bearer token when FRAMEFARM_METRICS_TOKEN is set.
 */
export const metricsEndpoint = (registry: Registry, token: string | null) => {
	const ownerOf = token === null ? null : createAuth([token]);
	const authorized = (authorization: string | undefined) => ownerOf === null || ownerOf(authorization) !== null;
	return async (authorization: string | undefined): Promise<MetricsAnswer> =>
		authorized(authorization)
			? {status: 200, contentType: registry.contentType, body: await registry.metrics()}
			: {
					status: 401,
					contentType: 'application/json; charset=utf-8',
					body: JSON.stringify({error: 'GET /metrics needs the metrics token (FRAMEFARM_METRICS_TOKEN) as "Authorization: Bearer <token>"', code: 'invalid_metrics_token'}),
				};
};
