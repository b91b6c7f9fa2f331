import http from 'node:http';
import {percentile} from './stats.js';

/** A server to load and the key its routes answer. */
export type OpenLoopTarget = {url: string; apiKey: string};
/** Requests a second, and for how long. */
export type OpenLoopRate = {rate: number; seconds: number};
/** What bench/open-loop-process.ts is given as JSON in its argv[2]. */
export type OpenLoopArgs = {target: OpenLoopTarget; route: string; load: OpenLoopRate};

export type LoadResult = {
	route: string;
	targetRate: number;
	requestsPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** How late the generator itself sent its requests (p99): its share of the latency, if large. */
	sendLagP99Ms: number;
	non2xx: number;
	errors: number;
};

/**
 * An open-loop load: one request every 1000/rate ms on a fixed schedule, whatever the answers do,
 * over keep-alive connections opened as needed. Each latency counts from when its request was due,
 * so a server that stalls is charged for every request that waited, not only for the few a closed
 * loop had in flight (autocannon's overallRate sends each connection's share in a burst at the
 * start of every second and waits for answers before sending more: a 5 s stall of the server
 * showed in its p99 as 100-200 ms).
 */
export const openLoop = async (farm: OpenLoopTarget, route: string, {rate, seconds}: OpenLoopRate): Promise<LoadResult> => {
	const target = new URL(`${farm.url}${route}`);
	const agent = new http.Agent({keepAlive: true, maxSockets: 256});
	const intervalMs = 1000 / rate;
	const total = Math.round(rate * seconds);
	const latencies: number[] = [];
	const sendLags: number[] = [];
	let non2xx = 0;
	let errors = 0;
	const startedAt = performance.now();
	await new Promise<void>((resolve) => {
		let sent = 0;
		let answered = 0;
		const answer = () => {
			if (++answered === total) {
				resolve();
			}
		};
		const send = (dueAt: number) => {
			sendLags.push(performance.now() - dueAt);
			const request = http.request({agent, host: target.hostname, port: target.port, path: target.pathname, headers: {authorization: `Bearer ${farm.apiKey}`}}, (response) => {
				response.resume();
				response.on('end', () => {
					if (response.statusCode! >= 200 && response.statusCode! < 300) {
						latencies.push(performance.now() - dueAt);
					} else {
						non2xx++;
					}
					answer();
				});
			});
			request.on('error', () => {
				errors++;
				answer();
			});
			request.end();
		};
		const sendDue = () => {
			const dueAt = (n: number) => startedAt + n * intervalMs;
			while (sent < total && dueAt(sent) <= performance.now()) {
				send(dueAt(sent++));
			}
			if (sent < total) {
				setTimeout(sendDue, Math.max(0, dueAt(sent) - performance.now()));
			}
		};
		sendDue();
	});
	const elapsedSeconds = (performance.now() - startedAt) / 1000;
	agent.destroy();
	return {
		route,
		targetRate: rate,
		requestsPerSecond: latencies.length / elapsedSeconds,
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99),
		maxMs: Math.max(...latencies),
		sendLagP99Ms: percentile(sendLags, 99),
		non2xx,
		errors,
	};
};
