import {sleep} from '../helpers.js';
import {countAttempts, followRender, framesOfOutput} from './render-outcome.js';
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
	/** Renders queued behind the running one before the fault started in the order they were submitted. */
	queueOrderKept: boolean;
	/** framefarm processes that exited during the fault (the target is none). */
	exited: string[];
	/** What the API answered while the fault lasted (status codes seen, with the first 503's message). */
	apiDuringFault: string;
};

export type FarmFault = {
	name: string;
	/** Starts the fault; returns the function that ends it. */
	begin: (farm: Farm) => Promise<() => Promise<void>>;
	seconds: number;
};

const QUEUED_BEHIND = 3;
const QUEUED_FRAMES = 15;

/** When a render's log says it started, or null if it never did. */
const startedAtOf = (log: string): number | null => {
	const line = log.split('\n').find((entry) => / started: /.test(entry));
	return line === undefined ? null : Date.parse(line.slice(0, line.indexOf(' ')));
};

/** What the farm stands on, taken away for a while under a running render. */
export const FAULTS = {
	redisPause: (seconds: number): FarmFault => ({
		name: `Redis paused ${seconds} s (SIGSTOP, SIGCONT)`,
		seconds,
		begin: async ({redis}) => {
			redis.pause();
			return async () => redis.resume();
		},
	}),
	redisRestart: (seconds: number): FarmFault => ({
		name: `Redis killed, restarted on its append-only file after ${seconds} s`,
		seconds,
		begin: async ({redis}) => {
			await redis.kill();
			return () => redis.restart();
		},
	}),
	s3Gone: (seconds: number): FarmFault => ({
		name: `S3 endpoint gone ${seconds} s, back on the same port`,
		seconds,
		begin: async ({s3}) => {
			await s3.cut();
			return () => s3.restore();
		},
	}),
};

/**
 * Runs a render of `frames` frames on the farm, brings `fault` about once the render is under
 * way, ends it after its time, and reports what became of the render and the farm.
 */
export const runFault = async (farm: Farm, fault: FarmFault, {frames = 240, framesPerChunk = 30} = {}): Promise<FaultResult> => {
	const {renderId} = await farm.submit(frames, framesPerChunk);
	// Under way: a chunk is done, so there is finished work the fault must not throw away.
	for (let i = 0; i < 600 && (await farm.progress(renderId)).chunks < 2; i++) {
		await sleep(100);
	}
	// Queued behind it (the farm runs one render at a time): they must start in this order after the fault.
	const queued: string[] = [];
	for (let i = 0; i < QUEUED_BEHIND; i++) {
		queued.push((await farm.submit(QUEUED_FRAMES, QUEUED_FRAMES)).renderId);
	}
	const end = await fault.begin(farm);
	const statuses = new Map<number, number>();
	let firstRefusal = '';
	const faultEndsAt = Date.now() + fault.seconds * 1000;
	while (Date.now() < faultEndsAt) {
		const response = await fetch(`${farm.server.url}/api/render/${renderId}`, {headers: {authorization: `Bearer ${farm.server.apiKey}`}, signal: AbortSignal.timeout(1000)}).catch(() => null);
		const status = response?.status ?? 0;
		statuses.set(status, (statuses.get(status) ?? 0) + 1);
		if (status === 503 && firstRefusal === '') {
			firstRefusal = ((await response!.json()) as {error: string}).error;
		}
		await sleep(250);
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
	const behind = await Promise.all(queued.map((id) => followRender(farm, id, 120_000)));
	const behindDone = await Promise.all(behind.map(async (r) => r.type === 'done' && 'url' in r && r.url !== undefined && (await framesOfOutput(r.url)) === QUEUED_FRAMES));
	const startedAt = await Promise.all(queued.map(async (id) => startedAtOf(await farm.log(id).catch(() => ''))));
	const codes = [...statuses].map(([status, count]) => `${status === 0 ? 'no answer' : status} x${count}`).join(', ');
	return {
		fault: fault.name,
		outcome: final.type === 'done' ? `done, ${frameCount}/${frames} frames` : final.type === 'error' ? `error: ${'message' in final ? final.message : ''}` : 'not finished in 3 min',
		recoverSeconds,
		...attempts,
		rendersLost: (final.type === 'done' && frameCount === frames ? 0 : 1) + behindDone.filter((ok) => !ok).length,
		queueOrderKept: startedAt.every((at, i) => at !== null && (i === 0 || at > startedAt[i - 1]!)),
		exited: farm.exited(),
		apiDuringFault: firstRefusal === '' ? codes : `${codes}; ${firstRefusal}`,
	};
};

/**
 * The S3 endpoint gone for good during a render: the render fails within a bound (the farm's
 * FRAMEFARM_S3_RETRY per attempt, and its chunk retries) with a message that names the bucket
 * and the endpoint; once the endpoint is back, the same workers render the next one.
 */
export const runS3GoneForGood = async (farm: Farm, {frames = 240, framesPerChunk = 30, boundMs = 120_000} = {}): Promise<FaultResult & {failedAfterSeconds: number; message: string}> => {
	const {renderId} = await farm.submit(frames, framesPerChunk);
	for (let i = 0; i < 600 && (await farm.progress(renderId)).chunks < 1; i++) {
		await sleep(100);
	}
	await farm.s3.cut();
	const cutAt = Date.now();
	const failed = await followRender(farm, renderId, boundMs);
	const failedAfterSeconds = (Date.now() - cutAt) / 1000;
	await farm.s3.restore();
	const next = await farm.submit(60, framesPerChunk);
	const after = await followRender(farm, next.renderId, 120_000);
	const afterFrames = after.type === 'done' && 'url' in after && after.url ? await framesOfOutput(after.url) : 0;
	const message = failed.type === 'error' && 'message' in failed ? (failed.message ?? '') : '';
	return {
		fault: 'S3 endpoint gone for good during a render',
		outcome: `${failed.type === 'error' ? `failed after ${failedAfterSeconds.toFixed(0)} s: ${message}` : `not failed within ${boundMs / 1000} s`}; the next render once it is back: ${after.type === 'done' ? `done, ${afterFrames}/60 frames` : after.type}`,
		recoverSeconds: null,
		framesRedoneAfterDone: 0,
		framesOfRepeatedAttempts: 0,
		// The failed render is the fault's own: lost is a render after the endpoint came back that did not finish.
		rendersLost: after.type === 'done' && afterFrames === 60 ? 0 : 1,
		queueOrderKept: true,
		exited: farm.exited(),
		apiDuringFault: '',
		failedAfterSeconds,
		message,
	};
};
