import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Reference} from './compositions.js';

export const API_KEY = 'bench-key';
const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'framefarm.js');

export type Farm = {
	url: string;
	pid: number;
	slots: number;
	request: (method: string, route: string, body?: unknown) => Promise<{status: number; body: any}>;
	stop: () => Promise<void>;
};

/** `framefarm serve` as a user runs it, in a process of its own, with a fresh data dir. */
export const startFarm = async (env: NodeJS.ProcessEnv = {}): Promise<Farm> => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-bench-'));
	const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
		env: {...process.env, FRAMEFARM_API_KEYS: API_KEY, FRAMEFARM_RATE_LIMIT: '100000', FRAMEFARM_MAX_QUEUED_PER_KEY: '100000', ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
	child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
	const deadline = Date.now() + 120_000;
	while (!/Workers ready/.test(output)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`framefarm serve did not start:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const url = /listening on (http:\/\/[^\s"]+)/.exec(output)![1]!;
	const slots = Number(/(\d+) worker slots/.exec(output)?.[1] ?? 0);
	const request = async (method: string, route: string, body?: unknown) => {
		const response = await fetch(`${url}${route}`, {
			method,
			headers: {authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return {status: response.status, body: await response.json()};
	};
	return {
		url,
		pid: child.pid!,
		slots,
		request,
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			fs.rmSync(dataDir, {recursive: true, force: true});
		},
	};
};

export type FarmRun = {
	wallMs: number;
	/** From the POST to the first chunk taken by a warm slot (the render's log). */
	toFirstChunkMs: number;
	/** From the POST to the first progress poll that shows a rendered frame. */
	toFirstFrameMs: number;
	stitchMs: number;
	size: number;
	renderId: string;
	/** The chunks the render was cut into. */
	chunks: number;
};

const logTime = (lines: string[], pattern: RegExp): number => {
	const line = lines.find((entry) => pattern.test(entry));
	return line === undefined ? NaN : Date.parse(line.slice(0, line.indexOf(' ')));
};

/**
 * Submits over HTTP and polls until done, as a client would; phases come from the render's log.
 * Polling every 20 ms times the first frame closely, but 50 requests a second take CPU from the
 * render it watches (a client would poll about once a second): renders timed only as a whole are
 * polled every 100 ms.
 */
export const renderOnFarm = async (
	farm: Farm,
	reference: Reference,
	{pollMs = 100, framesPerChunk}: {pollMs?: number; framesPerChunk?: number} = {},
): Promise<FarmRun> => {
	const startedAt = Date.now();
	const submitted = await farm.request('POST', '/api/render', {
		inputProps: {code: reference.code, durationInFrames: reference.durationInFrames, fps: reference.fps},
		width: reference.width,
		height: reference.height,
		framesPerChunk,
	});
	if (submitted.status !== 202) {
		throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
	}
	const id = submitted.body.renderId as string;
	let firstFrameAt = NaN;
	let progress;
	for (;;) {
		progress = (await farm.request('GET', `/api/render/${id}/progress`)).body;
		if (Number.isNaN(firstFrameAt) && progress.framesRendered > 0) {
			firstFrameAt = Date.now();
		}
		if (progress.done) {
			break;
		}
		if (progress.fatalErrorEncountered) {
			throw new Error(`render ${id} failed: ${progress.errors.at(-1)?.message}`);
		}
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
	const wallMs = Date.now() - startedAt;
	const status = (await farm.request('GET', `/api/render/${id}`)).body;
	const response = await fetch(`${farm.url}/api/render/${id}/log`, {headers: {authorization: `Bearer ${API_KEY}`}});
	const lines = (await response.text()).trim().split('\n');
	return {
		wallMs,
		toFirstChunkMs: logTime(lines, /chunk 0 \(frames .*attempt 1 on/) - startedAt,
		toFirstFrameMs: firstFrameAt - startedAt,
		stitchMs: logTime(lines, / done: /) - logTime(lines, / stitching on /),
		size: status.size,
		renderId: id,
		chunks: progress.renderMetadata.totalChunks,
	};
};
