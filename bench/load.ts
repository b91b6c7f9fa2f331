import http from 'node:http';
import os from 'node:os';
import {API_NICE, setThreadNice} from '../src/worker/thread-priority.js';
import {percentile} from './stats.js';
import {API_KEY} from './farm.js';

/** A server to load and the key its routes answer. */
export type LoadTarget = {url: string; apiKey?: string};

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
export type TtfbResult = {route: string; p50Ms: number; p99Ms: number};

const headersOf = (target: LoadTarget) => ({authorization: `Bearer ${target.apiKey ?? API_KEY}`});

/** Time to the response headers of one GET at a time. */
export const measureTtfb = async (farm: LoadTarget, route: string, count: number): Promise<TtfbResult> => {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const startedAt = performance.now();
		const response = await fetch(`${farm.url}${route}`, {headers: headersOf(farm)});
		times.push(performance.now() - startedAt);
		await response.arrayBuffer();
	}
	return {route, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99)};
};

/**
 * An open-loop load: one request every 1000/rate ms on a fixed schedule, whatever the answers do,
 * over keep-alive connections opened as needed. Each latency counts from when its request was due,
 * so a server that stalls is charged for every request that waited, not only for the few a closed
 * loop had in flight (autocannon's overallRate sends each connection's share in a burst at the
 * start of every second and waits for answers before sending more: a 5 s stall of the server
 * showed in its p99 as 100-200 ms).
 *
 * The generator stands for clients on other machines: where allowed, it runs at the API thread's
 * priority for the load, so that it does not send late behind the farm's browsers.
 */
export const loadRoute = async (farm: LoadTarget, route: string, load: {rate: number; seconds: number}): Promise<LoadResult> => {
	const nice = os.getPriority();
	setThreadNice(API_NICE);
	try {
		return await openLoop(farm, route, load);
	} finally {
		setThreadNice(nice);
	}
};

const openLoop = async (farm: LoadTarget, route: string, {rate, seconds}: {rate: number; seconds: number}): Promise<LoadResult> => {
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
			const request = http.request({agent, host: target.hostname, port: target.port, path: target.pathname, headers: headersOf(farm)}, (response) => {
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
