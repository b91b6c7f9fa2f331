import autocannon from 'autocannon';
import {percentile} from './stats.js';
import type {Farm} from './farm.js';

export type LoadResult = {route: string; targetRate: number; requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number};
export type TtfbResult = {route: string; p50Ms: number; p99Ms: number};

/** Time to the response headers of one GET at a time. */
export const measureTtfb = async (farm: Farm, route: string, count: number): Promise<TtfbResult> => {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const startedAt = performance.now();
		const response = await fetch(`${farm.url}${route}`, {headers: {authorization: 'Bearer bench-key'}});
		times.push(performance.now() - startedAt);
		await response.arrayBuffer();
	}
	return {route, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99)};
};

/** autocannon at a fixed overall rate against one route. */
export const loadRoute = async (farm: Farm, route: string, {rate, seconds}: {rate: number; seconds: number}): Promise<LoadResult> => {
	const result = await autocannon({
		url: `${farm.url}${route}`,
		headers: {authorization: 'Bearer bench-key'},
		connections: 20,
		overallRate: rate,
		duration: seconds,
	});
	return {
		route,
		targetRate: rate,
		requestsPerSecond: result.requests.average,
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		non2xx: result.non2xx,
		errors: result.errors,
	};
};
