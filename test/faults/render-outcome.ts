import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {probeVideo} from '../../src/render/probe-video.js';
import type {Farm} from './start-farm.js';

export type ChunkAttempts = {
	/** Frames of chunks rendered again after they were done: work thrown away (the target is 0). */
	framesRedoneAfterDone: number;
	/** Frames of attempts that were started again (a lost lock, a retry): the cost of the fault. */
	framesOfRepeatedAttempts: number;
};

/**
 * What a render's log says of its chunks' attempts: `chunk N (frames a-b): attempt K on ...`
 * starts an attempt, `chunk N: done in ...` finishes it.
 */
export const countAttempts = (log: string): ChunkAttempts => {
	const done = new Set<number>();
	let framesRedoneAfterDone = 0;
	let framesOfRepeatedAttempts = 0;
	for (const line of log.split('\n')) {
		const attempt = /chunk (\d+) \(frames (\d+)-(\d+)\): attempt (\d+)/.exec(line);
		if (attempt) {
			const frames = Number(attempt[3]) - Number(attempt[2]) + 1;
			if (Number(attempt[4]) > 1) {
				framesOfRepeatedAttempts += frames;
			}
			if (done.has(Number(attempt[1]))) {
				framesRedoneAfterDone += frames;
			}
		}
		const finished = /chunk (\d+): done in/.exec(line);
		if (finished) {
			done.add(Number(finished[1]));
		}
	}
	return {framesRedoneAfterDone, framesOfRepeatedAttempts};
};

/** Downloads a finished render's output and counts its frames with ffprobe. */
export const framesOfOutput = async (url: string): Promise<number> => {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-fault-')), 'out.mp4');
	try {
		fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
		return (await probeVideo(file)).video?.frames ?? 0;
	} finally {
		fs.rmSync(path.dirname(file), {recursive: true, force: true});
	}
};

/** Polls a render until it is done or failed, or `timeoutMs` passes; what it ended as. */
export const followRender = async (farm: Farm, id: string, timeoutMs: number) => {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${farm.server.url}/api/render/${id}`, {headers: {authorization: `Bearer ${farm.server.apiKey}`}}).catch(() => null);
		const body = response?.status === 200 ? ((await response.json()) as {type: string; url?: string; message?: string}) : null;
		if (body?.type === 'done' || body?.type === 'error') {
			return body;
		}
		if (Date.now() > deadline) {
			return {type: 'timeout' as const};
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
};
