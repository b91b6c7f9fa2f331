import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';
import {percentile} from './stats.js';
import {API_KEY} from './farm.js';
import type {LoadResult, OpenLoopArgs, OpenLoopRate, OpenLoopTarget} from './open-loop.js';

export type {LoadResult} from './open-loop.js';

/** A server to load and the key its routes answer (the bench farm's by default). */
export type LoadTarget = Omit<OpenLoopTarget, 'apiKey'> & {apiKey?: string};
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

const GENERATOR = fileURLToPath(new URL('./open-loop-process.ts', import.meta.url));

/**
 * An open-loop load on one route (bench/open-loop.ts), sent from a process of its own. The
 * generator stands for clients on other machines: it must not share an event loop with what the
 * harness runs beside it (the faults' S3 server and the proxy every bucket transfer goes through,
 * the bench's samplers), whose work made it send and read late; and where allowed it runs at the
 * API thread's priority, so that it does not send late behind the farm's browsers.
 */
export const loadRoute = async (farm: LoadTarget, route: string, load: OpenLoopRate): Promise<LoadResult> => {
	const args: OpenLoopArgs = {target: {url: farm.url, apiKey: farm.apiKey ?? API_KEY}, route, load};
	// The same loader as this process (tsx), so the generator runs from its TypeScript source.
	const {stdout} = await promisify(execFile)(process.execPath, [...process.execArgv, GENERATOR, JSON.stringify(args)], {maxBuffer: 1 << 20});
	return JSON.parse(stdout) as LoadResult;
};
