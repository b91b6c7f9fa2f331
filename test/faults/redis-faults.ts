import {sleep} from '../helpers.js';
import {countAttempts, followRender, framesOfOutput} from './render-outcome.js';
import type {RedisProcess} from './redis-process.js';
import type {Farm} from './start-farm.js';

/** One row of the fault table. */
export type FaultResult = {
	fault: string;
	/** How the render ended: "done, 240/240 frames", "error: ...". */
	outcome: string;
	/** From the end of the fault to the API answering 200 again. */
	recoverSeconds: number | null;
	framesRedoneAfterDone: number;
	framesOfRepeatedAttempts: number;
	rendersLost: number;
	/** framefarm processes that exited during the fault (the target is none). */
	exited: string[];
	/** What the API answered while the fault lasted (status codes seen, with the first 503's message). */
	apiDuringFault: string;
};

export type RedisFault = {
	name: string;
	/** Starts the fault; returns the function that ends it. */
	begin: (redis: RedisProcess) => Promise<() => Promise<void>>;
	seconds: number;
};

export const REDIS_FAULTS = {
	pause: (seconds: number): RedisFault => ({
		name: `Redis paused ${seconds} s (SIGSTOP, SIGCONT)`,
		seconds,
		begin: async (redis) => {
			redis.pause();
			return async () => redis.resume();
		},
	}),
	restart: (seconds: number): RedisFault => ({
		name: `Redis killed, restarted on its append-only file after ${seconds} s`,
		seconds,
		begin: async (redis) => {
			await redis.kill();
			return () => redis.restart();
		},
	}),
};

/**
 * Runs a render of `frames` frames on the farm, brings `fault` about once the render is under
 * way, ends it after its time, and reports what became of the render and the farm.
 */
export const runRedisFault = async (farm: Farm, redis: RedisProcess, fault: RedisFault, {frames = 240, framesPerChunk = 30} = {}): Promise<FaultResult> => {
	const {renderId} = await farm.submit(frames, framesPerChunk);
	// Under way: a chunk is done, so there is finished work the fault must not throw away.
	for (let i = 0; i < 600 && (await farm.progress(renderId)).chunks < 2; i++) {
		await sleep(100);
	}
	const end = await fault.begin(redis);
	const statuses = new Map<number, number>();
	let firstRefusal = '';
	const faultEndsAt = Date.now() + fault.seconds * 1000;
	while (Date.now() < faultEndsAt) {
		const response = await fetch(`${farm.server.url}/api/render/${renderId}`, {headers: {authorization: `Bearer ${farm.server.apiKey}`}, signal: AbortSignal.timeout(2000)}).catch(() => null);
		const status = response?.status ?? 0;
		statuses.set(status, (statuses.get(status) ?? 0) + 1);
		if (status === 503 && firstRefusal === '') {
			firstRefusal = ((await response!.json()) as {error: string}).error;
		}
		await sleep(500);
	}
	await end();
	const endedAt = Date.now();
	let recoverSeconds: number | null = null;
	for (let i = 0; i < 600; i++) {
		const response = await fetch(`${farm.server.url}/api/render/${renderId}`, {headers: {authorization: `Bearer ${farm.server.apiKey}`}, signal: AbortSignal.timeout(2000)}).catch(() => null);
		if (response?.status === 200) {
			recoverSeconds = (Date.now() - endedAt) / 1000;
			break;
		}
		await sleep(100);
	}
	const final = await followRender(farm, renderId, 180_000);
	const frameCount = final.type === 'done' && 'url' in final && final.url ? await framesOfOutput(final.url) : 0;
	const attempts = countAttempts(await farm.log(renderId).catch(() => ''));
	const codes = [...statuses].map(([status, count]) => `${status === 0 ? 'no answer' : status} x${count}`).join(', ');
	return {
		fault: fault.name,
		outcome: final.type === 'done' ? `done, ${frameCount}/${frames} frames` : final.type === 'error' ? `error: ${'message' in final ? final.message : ''}` : 'not finished in 3 min',
		recoverSeconds,
		...attempts,
		rendersLost: final.type === 'done' && frameCount === frames ? 0 : 1,
		exited: farm.exited(),
		apiDuringFault: firstRefusal === '' ? codes : `${codes}; ${firstRefusal}`,
	};
};
