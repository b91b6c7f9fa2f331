import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {FastifyInstance} from 'fastify';
import {loadConfig} from '../src/config/load-config.js';
import {buildApp} from '../src/server/build-app.js';
import {createStorage} from '../src/storage/create-storage.js';
import {createFileUrlSigner} from '../src/storage/file-url-signer.js';
import type {Storage} from '../src/storage/storage.js';
import {makeTempDir} from './helpers.js';
import {testAppContext} from './test-app-context.js';
import {startS3Server, S3_CREDENTIALS} from './s3-server.js';

// Who may read the bucket through /files/: the owner's key, or a signed URL the API handed out.
// The same rules for the local bucket and for S3 behind the API (FRAMEFARM_S3_URLS=api).

const KEY_A = 'owner-key-a';
const KEY_B = 'other-key-b';
const CODE = 'export default () => null;';
const BUCKET = 'framefarm-files';

let dir: string;
let s3: Awaited<ReturnType<typeof startS3Server>>;
before(async () => {
	dir = makeTempDir();
	s3 = await startS3Server(BUCKET);
});
after(async () => {
	await s3.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

type Setup = {app: FastifyInstance; storage: Storage; clock: {now: number}};

const setUp = async (env: NodeJS.ProcessEnv, dataDir: string): Promise<Setup> => {
	const config = loadConfig({dataDir}, env);
	const clock = {now: Date.now()};
	const fileUrls = createFileUrlSigner({secret: 'files-test-secret', expiresInSeconds: 3600, baseUrl: () => 'http://farm.test', now: () => clock.now});
	const {storage, problem} = createStorage(config, fileUrls.url);
	const app = await buildApp(testAppContext({dir: dataDir, keys: [KEY_A, KEY_B], storage, fileUrls, storageProblem: problem, now: () => clock.now}));
	return {app, storage, clock};
};

const fileAccessRules = (name: string, make: () => Promise<Setup>) =>
	describe(`files through the API: ${name}`, () => {
		let s: Setup;
		let id: string;
		let out: string;
		let chunk: string;
		const get = (url: string, {key, range}: {key?: string; range?: string} = {}) =>
			s.app.inject({method: 'GET', url: url.replace('http://farm.test', ''), headers: {...(key ? {authorization: `Bearer ${key}`} : {}), ...(range ? {range} : {})}});
		const assertRefused = (response: Awaited<ReturnType<typeof get>>, status: number, code: string) => {
			assert.equal(response.statusCode, status, response.body);
			assert.match(String(response.headers['content-type']), /application\/json/);
			const body = response.json() as {error: string; code: string};
			assert.equal(body.code, code);
			assert.equal(typeof body.error, 'string');
		};

		before(async () => {
			s = await make();
			const submitted = await s.app.inject({
				method: 'POST',
				url: '/api/render',
				headers: {authorization: `Bearer ${KEY_A}`, 'content-type': 'application/json'},
				payload: {inputProps: {code: CODE, durationInFrames: 30, fps: 30}},
			});
			id = (submitted.json() as {renderId: string}).renderId;
			out = `renders/${id}/out.mp4`;
			chunk = `renders/${id}/chunks/chunk-0.ts`;
			const source = path.join(dir, `${name}.bin`);
			fs.writeFileSync(source, Buffer.from(Array.from({length: 5000}, (_, i) => i % 251)));
			await s.storage.putFile(out, source, 'video/mp4');
			await s.storage.putFile(chunk, source, 'video/mp2t');
		});
		after(() => s.app.close());

		it('lists nothing and serves nothing without a key or a signed URL', async () => {
			for (const url of ['/files/', '/files/renders/', `/files/renders/${id}/`, `/files/renders/${id}/chunks/`, `/files/${out}`]) {
				assertRefused(await get(url), 401, 'unauthorized');
				assertRefused(await get(url, {key: 'not-a-key'}), 401, 'unauthorized');
			}
		});

		it("answers another key as if the render did not exist", async () => {
			for (const url of ['/files/', '/files/renders/', `/files/renders/${id}/`, `/files/${out}`, `/files/${chunk}`]) {
				const refused = await get(url, {key: KEY_B});
				assertRefused(refused, 404, 'not_found');
				const missing = await get(url.replace(id, 'nosuchrender'), {key: KEY_B});
				assert.equal(refused.body, missing.body.replace('nosuchrender', id), 'the same answer as for a render that does not exist');
			}
		});

		it("serves the owner's key its render's folder and files, and no listing above them", async () => {
			assertRefused(await get('/files/', {key: KEY_A}), 404, 'not_found');
			assertRefused(await get('/files/renders/', {key: KEY_A}), 404, 'not_found');
			const listing = await get(`/files/renders/${id}/`, {key: KEY_A});
			assert.equal(listing.statusCode, 200);
			const body = listing.json() as {dirs: {name: string; url: string}[]; files: {name: string; size: number; url: string}[]};
			assert.deepEqual(body.dirs.map((d) => d.name), ['chunks']);
			assert.deepEqual(body.files.map((f) => [f.name, f.size]), [['out.mp4', 5000]]);
			const full = await get(`/files/${out}`, {key: KEY_A});
			assert.equal(full.statusCode, 200);
			assert.equal(full.rawPayload.length, 5000);
			assert.equal(full.headers['content-type'], 'video/mp4');
		});

		it('serves a signed URL without a header, with Range support', async () => {
			const url = await s.storage.url(out);
			assert.match(url, new RegExp(`^http://farm\\.test/files/${out}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
			const full = await get(url);
			assert.equal(full.statusCode, 200);
			assert.equal(full.rawPayload.length, 5000);
			assert.equal(full.headers['accept-ranges'], 'bytes');
			const part = await get(url, {range: 'bytes=1000-1009'});
			assert.equal(part.statusCode, 206);
			assert.equal(part.headers['content-range'], 'bytes 1000-1009/5000');
			assert.deepEqual([...part.rawPayload], Array.from({length: 10}, (_, i) => (1000 + i) % 251));
			const tail = await get(url, {range: 'bytes=-4'});
			assert.equal(tail.headers['content-range'], 'bytes 4996-4999/5000');
			assert.equal((await get(url, {range: 'bytes=9000-'})).statusCode, 416);
			// Polled again within the hour, the URL is the same (a <video> given it does not reload).
			assert.equal(await s.storage.url(out), url);
		});

		it("presigns its owner's render files for as long as asked (presignUrl()), and nobody else's", async () => {
			const presign = (body: object, key = KEY_A) =>
				s.app.inject({method: 'POST', url: '/api/presign', headers: {authorization: `Bearer ${key}`, 'content-type': 'application/json'}, payload: JSON.stringify(body)});
			const signed = await presign({objectKey: out, expiresInSeconds: 60});
			assert.equal(signed.statusCode, 200, signed.body);
			const {url} = signed.json() as {url: string};
			assert.equal((await get(url)).rawPayload.length, 5000);
			const expires = Number(new URL(url).searchParams.get('expires'));
			assert.ok(Math.abs(expires - (s.clock.now / 1000 + 60)) <= 1, `expires in 60 s: ${expires}`);
			s.clock.now += 61_000;
			try {
				assertRefused(await get(url), 403, 'url_expired');
			} finally {
				s.clock.now -= 61_000;
			}
			assert.deepEqual((await presign({objectKey: `renders/${id}/nothing.mp4`, expiresInSeconds: 60, checkIfObjectExists: true})).json(), {url: null});
			// Another key's render file: absent, as a file of a render that does not exist.
			assertRefused(await presign({objectKey: out, expiresInSeconds: 60}, KEY_B), 404, 'not_found');
			assert.deepEqual((await presign({objectKey: out, expiresInSeconds: 60, checkIfObjectExists: true}, KEY_B)).json(), {url: null});
			for (const [body, message] of [
				[{objectKey: out, expiresInSeconds: 0}, /^expiresInSeconds /],
				[{objectKey: out, expiresInSeconds: 8 * 86_400}, /^expiresInSeconds /],
				[{objectKey: 'sites/a/b/site.json', expiresInSeconds: 60}, /^objectKey must be the key of a file of one of your renders/],
				[{objectKey: `renders/${id}/../other/out.mp4`, expiresInSeconds: 60}, /^objectKey must be the key of a file of one of your renders/],
				[{objectKey: `renders/${id}/`, expiresInSeconds: 60}, /^objectKey must be the key of a file of one of your renders/],
			] as const) {
				const refused = await presign(body);
				assertRefused(refused, 400, 'invalid_request');
				assert.match((refused.json() as {error: string}).error, message);
			}
		});

		it("opens the render's folder from folderInS3Console's URL, and what it lists", async () => {
			const folder = s.storage.folderUrl(`renders/${id}/`);
			const listing = await get(folder);
			assert.equal(listing.statusCode, 200);
			const body = listing.json() as {dirs: {name: string; url: string}[]; files: {name: string; url: string}[]};
			assert.equal((await get(body.files[0]!.url)).rawPayload.length, 5000);
			const chunks = (await get(body.dirs[0]!.url)).json() as {files: {name: string; url: string}[]};
			assert.deepEqual(chunks.files.map((f) => f.name), ['chunk-0.ts']);
			assert.equal((await get(chunks.files[0]!.url)).headers['content-type'], 'video/mp2t');
		});

		it('refuses a tampered or expired signature with 403', async () => {
			const url = new URL(await s.storage.url(out));
			const signature = url.searchParams.get('signature')!;
			const expires = Number(url.searchParams.get('expires'));
			const flipped = `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`;
			const at = (pathname: string, query: string) => `${pathname}?${query}`;
			assertRefused(await get(at(url.pathname, `expires=${expires}&signature=${flipped}`)), 403, 'invalid_signature');
			assertRefused(await get(at(url.pathname, `expires=${expires + 3600}&signature=${signature}`)), 403, 'invalid_signature');
			assertRefused(await get(at(url.pathname, `expires=${expires}`)), 403, 'invalid_signature');
			assertRefused(await get(at(url.pathname, 'expires=soon&signature=zz')), 403, 'invalid_signature');
			// A file's signature opens that file only, not its folder or its neighbours.
			assertRefused(await get(at(`/files/${chunk}`, url.search.slice(1))), 403, 'invalid_signature');
			assertRefused(await get(at(`/files/renders/${id}/`, url.search.slice(1))), 403, 'invalid_signature');
			s.clock.now = expires * 1000 + 1000;
			try {
				assertRefused(await get(url.href), 403, 'url_expired');
			} finally {
				s.clock.now = Date.now();
			}
		});

		it("does not open one render's files with another render's folder URL", async () => {
			const other = s.storage.folderUrl('renders/someoneelse/');
			const {search} = new URL(other);
			assertRefused(await get(`/files/${out}${search}`), 403, 'invalid_signature');
		});
	});

fileAccessRules('local bucket', () => setUp({}, path.join(dir, 'local')));
fileAccessRules('S3 with FRAMEFARM_S3_URLS=api', () =>
	setUp(
		{
			FRAMEFARM_S3_BUCKET: BUCKET,
			FRAMEFARM_S3_ENDPOINT: s3.endpoint,
			FRAMEFARM_S3_URLS: 'api',
			REMOTION_AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
			REMOTION_AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
		},
		path.join(dir, 's3'),
	),
);
