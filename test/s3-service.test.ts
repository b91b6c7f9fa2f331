import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {loadConfig} from '../src/config/load-config.js';
import {probeVideo} from '../src/render/probe-video.js';
import {buildApp} from '../src/server/build-app.js';
import {createStorage} from '../src/storage/create-storage.js';
import {createFileUrlSigner} from '../src/storage/file-url-signer.js';
import {api, makeTempDir, readExample, sleep, startServe, waitFor} from './helpers.js';
import {startS3Server, S3_CREDENTIALS} from './s3-server.js';
import {testAppContext} from './test-app-context.js';

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
		const fileUrls = createFileUrlSigner({secret: 's', expiresInSeconds: 60, baseUrl: () => 'http://api.test'});
		const configured = createStorage(config, fileUrls.url);
		const app = await buildApp(testAppContext({dir, keys: ['k'], storage: configured.storage, fileUrls, storageProblem: configured.problem}));
		return {app, storage: configured.storage};
	};

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
			const folder = lambda.body.folderInS3Console as string;
			assert.match(folder, new RegExp(`^${server.url}/files/renders/${lambda.body.renderId}/\\?expires=\\d+&signature=`));
			// Off AWS the folder is the API's listing, signed for that render's folder only.
			await waitFor('the render to finish', async () => ((await api(server, 'GET', `/api/render/${lambda.body.renderId}`)).body.type === 'done' ? true : null));
			const listing = (await (await fetch(folder)).json()) as {files: {name: string}[]};
			assert.deepEqual(listing.files.map((file) => file.name), ['out.mp4']);
			assert.equal((await fetch(`${server.url}/files/renders/${lambda.body.renderId}/`)).status, 401);
		} finally {
			await server.stop();
		}
	});
});
