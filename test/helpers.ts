import {execFile, execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {compositorBinary} from '../src/render/compositor-binaries.js';
import {rememberSecret, suiteLogFile} from './suite-logs.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Content-hashed bundles are safe to share between test runs; bundling once saves ~10 s a file. */
export const TEST_CACHE_DIR = path.join(os.tmpdir(), 'framefarm-test-cache');

/** Linux scheduling classes, as a thread's /proc sched file numbers them. */
export const SCHED_OTHER = 0;
export const SCHED_RR = 2;
export const SCHED_IDLE = 5;

/** The scheduling class in the text of a /proc sched file (`/proc/<pid>/task/<tid>/sched`). */
export const schedPolicy = (sched: string): number => Number(/^policy\s*:\s*(\d+)/m.exec(sched)![1]);

export const makeTempDir = (prefix = 'framefarm-test-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export const readExample = (name: string): string => fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');

const execFileAsync = promisify(execFile);

/** Every frame of a video as raw RGB. */
export const decodeFrames = async (file: string, width: number, height: number): Promise<Buffer[]> => {
	const {stdout} = await execFileAsync(compositorBinary('ffmpeg'), ['-v', 'error', '-i', file, '-f', 'image2pipe', '-c:v', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
		encoding: 'buffer',
		maxBuffer: 1024 * 1024 * 1024,
	});
	const frameSize = width * height * 3;
	const frames: Buffer[] = [];
	for (let offset = 0; offset + frameSize <= stdout.length; offset += frameSize) {
		frames.push(stdout.subarray(offset, offset + frameSize));
	}
	return frames;
};

/** The presentation times of a video's frames, in ticks of its stream's time base, in display order. */
export const framePresentationTimes = async (file: string): Promise<{times: number[]; timeBase: number}> => {
	const {stdout} = await execFileAsync(compositorBinary('ffprobe'), [
		'-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base:packet=pts', '-of', 'json', file,
	]);
	const parsed = JSON.parse(stdout) as {packets: Array<{pts: number}>; streams: Array<{time_base: string}>};
	const [num, den] = (parsed.streams[0]?.time_base ?? '1/1').split('/').map(Number);
	return {times: parsed.packets.map((packet) => packet.pts).sort((a, b) => a - b), timeBase: (num ?? 1) / (den ?? 1)};
};

/** Peak signal-to-noise ratio of two RGB frames in dB (Infinity when identical). */
export const psnr = (a: Buffer, b: Buffer): number => {
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		const diff = (a[i] ?? 0) - (b[i] ?? 0);
		sum += diff * diff;
	}
	const mse = sum / a.length;
	return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
};

export type CliResult = {code: number | null; stdout: string; stderr: string; milliseconds: number};

/** Runs the built CLI the way a user would: `framefarm <args>`. */
export const runCli = (
	args: string[],
	{stdin, env, cwd}: {stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string} = {},
): Promise<CliResult> =>
	new Promise((resolve, reject) => {
		const startedAt = Date.now();
		const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'framefarm.js'), ...args], {
			cwd: cwd ?? ROOT,
			env: {...process.env, FRAMEFARM_CACHE_DIR: TEST_CACHE_DIR, ...env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
		child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({code, stdout, stderr, milliseconds: Date.now() - startedAt}));
		child.stdin.end(stdin ?? '');
	});

export type ServeProcess = {url: string; apiKey: string; child: import('node:child_process').ChildProcess; output: () => string; stop: () => Promise<void>};

// A graceful stop hands back or finishes the chunks in hand: seconds, not minutes.
const STOP_TIMEOUT_MS = 60_000;

/** Spawns a long-running framefarm command and waits for the line that says it is ready. */
const spawnFramefarm = async (args: string[], env: NodeJS.ProcessEnv, ready: RegExp) => {
	const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'framefarm.js'), ...args], {
		cwd: ROOT,
		env: {...process.env, FRAMEFARM_CACHE_DIR: TEST_CACHE_DIR, ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	for (const secret of [...(env.FRAMEFARM_API_KEYS ?? '').split(','), env.FRAMEFARM_METRICS_TOKEN, env.FRAMEFARM_URL_SECRET]) {
		rememberSecret(secret?.trim());
	}
	const logFile = fs.createWriteStream(suiteLogFile(args[0]!));
	let text = '';
	const take = (data: Buffer) => {
		text += data.toString();
		logFile.write(data);
	};
	child.stdout.on('data', take);
	child.stderr.on('data', take);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	// One that dies of itself (not of a signal a test sent) leaves its last words in the test output.
	child.once('exit', (code, signal) => {
		if (code !== 0 && signal === null) {
			process.stderr.write(`framefarm ${args[0]} exited with code ${code}:\n${text}\n`);
		}
	});
	const output = () => text;
	await waitForOutput(child, output, ready, `framefarm ${args[0]}`);
	/** Sends `signal` and waits for the exit; one that is not out within a minute is killed, and fails the test. */
	const stop = async (signal: NodeJS.Signals) => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill(signal);
		}
		await within(STOP_TIMEOUT_MS, exited, `framefarm ${args[0]} after ${signal}`).catch((err: Error) => {
			killTree(child.pid!);
			throw new Error(`${err.message}:\n${text}`);
		});
	};
	return {child, output, stop};
};

/** Starts `framefarm serve` on a free port and waits until it listens and its workers are ready. */
export const startServe = async ({dataDir, env = {}, args = []}: {dataDir: string; env?: NodeJS.ProcessEnv; args?: string[]}): Promise<ServeProcess> => {
	const {child, output, stop} = await spawnFramefarm(['serve', '--port', '0', '--data-dir', dataDir, ...args], env, /Workers ready/);
	const url = /listening on (http:\/\/[^\s"]+)/.exec(output())?.[1] ?? '';
	const apiKey = env.FRAMEFARM_API_KEYS?.split(',')[0] ?? rememberSecret(fs.readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim());
	return {
		url,
		apiKey,
		child,
		output,
		stop: () => stop('SIGTERM'),
	};
};

/** A JSON request to a running server. */
export const api = async <T = any>(server: {url: string; apiKey: string}, method: string, route: string, body?: unknown): Promise<{status: number; body: T}> => {
	const response = await fetch(`${server.url}${route}`, {
		method,
		headers: {authorization: `Bearer ${server.apiKey}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return {status: response.status, body: (await response.json()) as T};
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `framefarm worker` and waits until it takes renders. */
export const startWorkerProcess = async (env: NodeJS.ProcessEnv, args: string[] = ['--concurrency', '1']) => {
	const {child, output, stop} = await spawnFramefarm(['worker', ...args], env, /slots taking renders/);
	const name = /framefarm worker (\S+):/.exec(output())?.[1] ?? '';
	return {
		name,
		/** Its metrics port's base URL (--metrics-port), or null. */
		metricsUrl: /metrics on (http:\/\/[^\s"]+)\/metrics/.exec(output())?.[1] ?? null,
		child,
		output,
		kill: async (signal: NodeJS.Signals) => {
			if (signal === 'SIGKILL' && child.exitCode === null) {
				// Like losing the machine: the worker and its browsers die at once.
				killTree(child.pid!);
			}
			await stop(signal);
		},
	};
};

/** A process and every process below it, with their command lines. */
export const processTree = (pid: number): {pid: number; ppid: number; args: string}[] => {
	const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], {encoding: 'utf8'})
		.trim()
		.split('\n')
		.map((line) => {
			const [, child, parent, args] = /^\s*(\d+)\s+(\d+)\s?(.*)$/.exec(line)!;
			return {pid: Number(child), ppid: Number(parent), args: args!};
		});
	const tree = table.filter((entry) => entry.pid === pid);
	for (let i = 0; i < tree.length; i++) {
		tree.push(...table.filter((entry) => entry.ppid === tree[i]!.pid));
	}
	return tree;
};

/** Whether a process runs (a zombie waiting to be reaped does not). */
export const isRunning = (pid: number): boolean => {
	try {
		return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
};

/** SIGKILLs a process and every process below it (browsers start in process groups of their own). */
export const killTree = (pid: number) => {
	for (const {pid: member} of processTree(pid)) {
		try {
			process.kill(member, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
};

/** `work`, or an error naming `what` once `ms` have passed: a test that fails rather than hangs. */
export const within = async <T>(ms: number, work: Promise<T>, what: string): Promise<T> => {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms / 1000} s`)), ms);
	});
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
};

/** Polls until `poll` returns something other than null. */
export const waitFor = async <T>(what: string, poll: () => Promise<T | null>, timeoutMs = 120_000): Promise<T> => {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await poll();
		if (value !== null) {
			return value;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await sleep(100);
	}
};

/** Waits until a child process prints a line matching `ready`; fails if it exits first. */
async function waitForOutput(child: import('node:child_process').ChildProcess, output: () => string, ready: RegExp, what: string) {
	const deadline = Date.now() + 60_000;
	while (!ready.test(output())) {
		if (Date.now() > deadline || child.exitCode !== null) {
			child.kill('SIGKILL');
			throw new Error(`${what} did not start:\n${output()}`);
		}
		await sleep(50);
	}
}

/** The first audio track as mono 16-bit PCM samples at `sampleRate` (the compositor's ffmpeg muxes WAV, not raw PCM). */
export const decodePcm = async (file: string, sampleRate = 48_000): Promise<Int16Array> => {
	const {stdout} = await execFileAsync(compositorBinary('ffmpeg'), ['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-c:a', 'pcm_s16le', '-f', 'wav', '-'], {
		encoding: 'buffer',
		maxBuffer: 1024 * 1024 * 1024,
	});
	const data = stdout.indexOf('data', 12) + 8;
	return new Int16Array(stdout.buffer.slice(stdout.byteOffset + data, stdout.byteOffset + data + Math.floor((stdout.length - data) / 2) * 2));
};
