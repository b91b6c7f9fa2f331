import http from 'node:http';
import type {Registry} from 'prom-client';
import {metricsEndpoint} from './metrics-answer.js';

export type MetricsServer = {url: string; close: () => Promise<void>};

/**
 * A worker's own small HTTP server (`framefarm worker --metrics-port`): GET /metrics, GET
 * /health (the process is up) and GET /ready (it can render: 503 with the reason when not).
 */
export const startMetricsServer = async ({
	registry,
	token,
	port,
	host,
	problem,
}: {
	registry: Registry;
	token: string | null;
	port: number;
	host: string;
	problem: () => string | null;
}): Promise<MetricsServer> => {
	const metrics = metricsEndpoint(registry, token);
	const json = (response: http.ServerResponse, status: number, body: unknown) =>
		response.writeHead(status, {'content-type': 'application/json; charset=utf-8'}).end(JSON.stringify(body));
	const server = http.createServer((request, response) => {
		const route = request.method === 'GET' ? (request.url ?? '').split('?')[0] : null;
		if (route === '/metrics') {
			metrics(request.headers.authorization).then(
				({status, contentType, body}) => response.writeHead(status, {'content-type': contentType}).end(body),
				(err: Error) => json(response, 500, {error: `Could not collect the metrics: ${err.message}`, code: 'metrics_failed'}),
			);
		} else if (route === '/health') {
			json(response, 200, {ok: true});
		} else if (route === '/ready') {
			const reason = problem();
			json(response, reason === null ? 200 : 503, reason === null ? {ready: true} : {ready: false, error: reason, code: 'not_ready'});
		} else {
			json(response, 404, {error: `No route ${request.method} ${(request.url ?? '').split('?')[0]} here: a worker answers GET /metrics, /health and /ready`, code: 'not_found'});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address();
	const bound = typeof address === 'object' && address !== null ? address.port : port;
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
};
