import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {RenderProgress} from '../../src/progress/progress-schemas.js';
import {api, makeTempDir, readExample, startServe, startWorkerProcess, type ServeProcess} from '../helpers.js';
import {startS3Server, S3_CREDENTIALS} from '../s3-server.js';
import type {RedisProcess} from './redis-process.js';
import {startTcpProxy} from './tcp-proxy.js';

export type FarmOptions = {
	redis: RedisProcess;
	workers?: number;
	/** A dead worker's chunk goes to another after this long (FRAMEFARM_LOCK_MS). */
	lockMs?: number;
	env?: NodeJS.ProcessEnv;
};

/**
 * The distributed farm as an operator runs it: one API server (`framefarm serve`, no slots), `workers`
 * `framefarm worker` processes of one slot each, BullMQ on the given Redis and the local S3 server.
 */
export const startFarm = async ({redis, workers: workerCount = 2, lockMs = 5000, env: extra = {}}: FarmOptions) => {
	const bucket = `ff-${crypto.randomBytes(4).toString('hex')}`;
	const s3Server = await startS3Server(bucket);
	// The farm reaches the bucket through a proxy that a fault can take away.
	const s3 = await startTcpProxy({host: '127.0.0.1', port: Number(new URL(s3Server.endpoint).port)});
	const dir = makeTempDir('framefarm-farm-');
	const env: NodeJS.ProcessEnv = {
		FRAMEFARM_REDIS_URL: redis.url,
		FRAMEFARM_REDIS_PREFIX: `ff-${crypto.randomBytes(4).toString('hex')}`,
		FRAMEFARM_LOCK_MS: String(lockMs),
		FRAMEFARM_API_KEYS: 'farm-key',
		FRAMEFARM_S3_BUCKET: bucket,
		FRAMEFARM_S3_ENDPOINT: s3.url,
		REMOTION_AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
		REMOTION_AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
		...extra,
	};
	const server = await startServe({dataDir: path.join(dir, 'api'), env});
	const workers = await Promise.all(
		Array.from({length: workerCount}, () => startWorkerProcess(env, ['--concurrency', '1', '--metrics-port', '0', '--metrics-host', '127.0.0.1'])),
	);
	const processes = () => [{name: 'serve', child: server.child}, ...workers.map((worker, index) => ({name: `worker ${index + 1}`, child: worker.child}))];

	return {
		bucket,
		server,
		workers,
		redis,
		/** The S3 endpoint as the farm sees it: cut() and restore() take it away and bring it back. */
		s3,
		/** The framefarm processes that have exited, with how. */
		exited: () =>
			processes()
				.filter(({child}) => child.exitCode !== null || child.signalCode !== null)
				.map(({name, child}) => `${name} (${child.signalCode ?? `code ${child.exitCode}`})`),
		submit: async (durationInFrames: number, framesPerChunk: number, via: ServeProcess = server) => {
			const response = await api(via, 'POST', '/api/render', {
				inputProps: {code: readExample('title-card.tsx'), durationInFrames, fps: 30},
				width: 320,
				height: 180,
				framesPerChunk,
			});
			if (response.status !== 202) {
				throw new Error(`submit answered ${response.status}: ${JSON.stringify(response.body)}`);
			}
			return response.body as {renderId: string; queuePosition: number};
		},
		progress: async (id: string) => (await api(server, 'GET', `/api/render/${id}/progress`)).body as RenderProgress,
		log: async (id: string) => (await fetch(`${server.url}/api/render/${id}/log`, {headers: {authorization: `Bearer ${server.apiKey}`}})).text(),
		stop: async () => {
			await Promise.allSettled([...workers.map((worker) => worker.kill('SIGTERM')), server.stop()]);
			await s3.close();
			await s3Server.close();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
};

export type Farm = Awaited<ReturnType<typeof startFarm>>;
