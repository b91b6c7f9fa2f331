import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createLocalBackend} from '../src/backend/local/create-local-backend.js';
import {loadConfig} from '../src/config/load-config.js';
import {probeVideo} from '../src/render/probe-video.js';
import {createAuth} from '../src/server/auth.js';
import {buildApp} from '../src/server/build-app.js';
import {createStorage} from '../src/storage/create-storage.js';
import {api, makeTempDir, readExample, sleep, startServe} from './helpers.js';
import {startS3Server, S3_CREDENTIALS} from './s3-server.js';
import {DEFAULT_SUBMIT_LIMITS} from '../src/server/submit-limits.js';

const BUCKET = 'framefarm-service';
let s3: Awaited<ReturnType<typeof startS3Server>>;
let dir: string;
before(async () => {
	s3 = await startS3Server(BUCKET);
	dir = makeTempDir();
});
after(async () => {
	await s3.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const s3Env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
	FRAMEFARM_S3_BUCKET: BUCKET,
	FRAMEFARM_S3_ENDPOINT: s3.endpoint,
	REMOTION_AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
	REMOTION_AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
	...extra,
});

describe('S3 storage behind the API', () => {
	const appWith = async (env: NodeJS.ProcessEnv) => {
		const config = loadConfig({dataDir: dir}, env);
		const configured = createStorage(config, () => 'http://api.test');
		const app = await buildApp({
			backend: createLocalBackend({file: ':memory:', maxRenders: 1, chunkRetries: 1}),
			storage: configured.storage,
			authenticate: createAuth(['k']),
			publicUrl: 'http://api.test',
			pricing: {pricePerGbSecond: 0, memoryGbPerWorker: 1, pricePerInvocation: 0},
			defaultFramesPerChunk: 60,
		limits: DEFAULT_SUBMIT_LIMITS,
		allowedWebhookHosts: [],
		renderSlots: null,
			filesRoot: configured.localRoot,
			storageProblem: configured.problem,
			now: Date.now,
		});
		return {app, storage: configured.storage};
	};

	it('streams objects with Range support and lists folders when FRAMEFARM_S3_URLS=api', async () => {
		const {app, storage} = await appWith(s3Env({FRAMEFARM_S3_URLS: 'api'}));
		const source = path.join(dir, 'object.bin');
		fs.writeFileSync(source, Buffer.from(Array.from({length: 5000}, (_, i) => i % 251)));
		await storage.putFile('renders/s3route/out.mp4', source, 'video/mp4');
		assert.equal(await storage.url('renders/s3route/out.mp4'), 'http://api.test/files/renders/s3route/out.mp4');
		const full = await app.inject({method: 'GET', url: '/files/renders/s3route/out.mp4'});
		assert.equal(full.statusCode, 200);
		assert.equal(full.rawPayload.length, 5000);
		assert.equal(full.headers['accept-ranges'], 'bytes');
		const part = await app.inject({method: 'GET', url: '/files/renders/s3route/out.mp4', headers: {range: 'bytes=1000-1009'}});
		assert.equal(part.statusCode, 206);
		assert.equal(part.headers['content-range'], 'bytes 1000-1009/5000');
		assert.deepEqual([...part.rawPayload], Array.from({length: 10}, (_, i) => (1000 + i) % 251));
		const tail = await app.inject({method: 'GET', url: '/files/renders/s3route/out.mp4', headers: {range: 'bytes=-4'}});
		assert.equal(tail.headers['content-range'], 'bytes 4996-4999/5000');
		assert.equal((await app.inject({method: 'GET', url: '/files/renders/s3route/out.mp4', headers: {range: 'bytes=9000-'}})).statusCode, 416);
		assert.deepEqual((await app.inject({method: 'GET', url: '/files/renders/s3route/'})).json(), {dirs: [], files: ['out.mp4']});
		assert.equal((await app.inject({method: 'GET', url: '/files/renders/s3route/missing.mp4'})).statusCode, 404);
		assert.equal((await app.inject({method: 'GET', url: '/files/renders/..%2F..%2Fx'})).statusCode, 404);
		await app.close();
	});

	for (const [missing, message] of [
		[{REMOTION_AWS_ACCESS_KEY_ID: '', REMOTION_AWS_SECRET_ACCESS_KEY: ''}, /^Set up the S3 storage credentials to render videos/],
		[{REMOTION_AWS_SECRET_ACCESS_KEY: ''}, /^The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing\. Add it to your \.env file\.$/],
	] as const) {
		it(`POST /api/lambda/render answers the app's configuration error: ${Object.keys(missing).join(', ')}`, async () => {
			const {app} = await appWith(s3Env(missing));
			const response = await app.inject({
				method: 'POST',
				url: '/api/lambda/render',
				headers: {authorization: 'Bearer k', 'content-type': 'application/json'},
				payload: {inputProps: {code: 'export default () => null;', durationInFrames: 30, fps: 30}},
			});
			assert.equal(response.statusCode, 500);
			assert.match((response.json() as {error: string}).error, message);
			await app.close();
		});
	}
});

describe('framefarm serve with an S3-compatible bucket', () => {
	it('renders into the bucket and hands out a presigned URL that downloads the whole file', async () => {
		const server = await startServe({dataDir: path.join(dir, 'serve-data'), env: s3Env()});
		try {
			const submitted = await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 20, fps: 30}, width: 320, height: 180, framesPerChunk: 10});
			const id = submitted.body.renderId as string;
			let status: {type: string; url?: string; size?: number} = {type: 'queued'};
			for (let i = 0; i < 600 && status.type !== 'done' && status.type !== 'error'; i++) {
				await sleep(100);
				status = (await api(server, 'GET', `/api/render/${id}`)).body;
			}
			assert.equal(status.type, 'done', JSON.stringify(status));
			assert.match(status.url ?? '', new RegExp(`^${s3.endpoint}/${BUCKET}/renders/${id}/out\\.mp4\\?.*X-Amz-Signature=`));
			const bytes = Buffer.from(await (await fetch(status.url!)).arrayBuffer());
			assert.equal(bytes.length, status.size);
			const file = path.join(dir, 's3.mp4');
			fs.writeFileSync(file, bytes);
			assert.equal((await probeVideo(file)).video?.frames, 20);
			const lambda = await api(server, 'POST', '/api/lambda/render', {inputProps: {code: 'export default () => null;', durationInFrames: 1, fps: 30}});
			assert.equal(lambda.body.folderInS3Console, `${server.url}/files/renders/${lambda.body.renderId}/`);
		} finally {
			await server.stop();
		}
	});
});
