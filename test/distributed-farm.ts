import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {makeTempDir, startServe, startWorkerProcess, type ServeProcess} from './helpers.js';
import {deletePrefix, REDIS_URL} from './redis-helpers.js';
import {S3_CREDENTIALS, startS3Server} from './s3-server.js';

/** What makes framefarm distributed: BullMQ on the loopback Redis (under its own prefix) and an S3 bucket. */
export const distributedEnv = ({prefix, bucket, s3Endpoint, apiKeys}: {prefix: string; bucket: string; s3Endpoint: string; apiKeys: string}): NodeJS.ProcessEnv => ({
	FRAMEFARM_REDIS_URL: REDIS_URL,
	FRAMEFARM_REDIS_PREFIX: prefix,
	FRAMEFARM_API_KEYS: apiKeys,
	FRAMEFARM_S3_BUCKET: bucket,
	FRAMEFARM_S3_ENDPOINT: s3Endpoint,
	REMOTION_AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
	REMOTION_AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
});

/**
 * A whole distributed farm for one test file: a local S3 server, an API server with no worker
 * slots, and `workers` worker processes with a cache of their own (sites reach them from the bucket).
 */
export const startDistributedFarm = async ({apiKeys, workers = 2}: {apiKeys: string; workers?: number}) => {
	const prefix = `framefarm-test-${crypto.randomBytes(6).toString('hex')}`;
	const bucket = 'framefarm-farm';
	const s3 = await startS3Server(bucket);
	const dir = makeTempDir();
	const env = distributedEnv({prefix, bucket, s3Endpoint: s3.endpoint, apiKeys});
	const server: ServeProcess = await startServe({dataDir: path.join(dir, 'api'), env});
	const started = await Promise.all(Array.from({length: workers}, () => startWorkerProcess({...env, FRAMEFARM_CACHE_DIR: path.join(dir, 'worker-cache')})));
	return {
		server,
		workers: started,
		stop: async () => {
			await Promise.all([...started.map((worker) => worker.kill('SIGTERM')), server.stop()]);
			await s3.close();
			await deletePrefix(prefix);
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
};
