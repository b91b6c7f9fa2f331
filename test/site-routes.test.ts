import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {after, before, describe, it} from 'node:test';
import type {FastifyInstance} from 'fastify';
import type {AppContext} from '../src/server/app-context.js';
import {buildApp} from '../src/server/build-app.js';
import {makeTempDir} from './helpers.js';
import {testAppContext} from './test-app-context.js';

// The deploy protocol of /api/sites over app.inject(), with the real local bucket: what a deploy
// must send, what each mistake answers, and that a key reaches only its own sites.

const KEY_A = 'site-key-a';
const KEY_B = 'site-key-b';
const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const FILES = {'index.html': '<!doctype html><script src="bundle.js"></script>', 'bundle.js': 'console.log("site")', 'public/my image.png': 'png bytes'};
const listing = (files: Record<string, string> = FILES) => Object.entries(files).map(([path, text]) => ({path, size: Buffer.byteLength(text), sha256: sha(text)}));

let dir: string;
let app: FastifyInstance;
let context: AppContext;

const request = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, {json, bytes, key = KEY_A, type}: {json?: unknown; bytes?: string; key?: string; type?: string} = {}) =>
	app.inject({
		method,
		url,
		headers: {
			authorization: `Bearer ${key}`,
			...(json !== undefined ? {'content-type': 'application/json'} : {}),
			...(bytes !== undefined ? {'content-type': type ?? 'application/octet-stream'} : {}),
		},
		payload: json !== undefined ? JSON.stringify(json) : bytes,
	});

const deploy = async (siteName: string, files: Record<string, string> = FILES, key = KEY_A, query = '') => {
	const plan = await request('POST', `/api/sites/${siteName}/plan${query}`, {json: {files: listing(files)}, key});
	assert.equal(plan.statusCode, 200, plan.body);
	const {missing} = plan.json() as {missing: string[]};
	for (const text of Object.values(files).filter((value) => missing.includes(sha(value)))) {
		const put = await request('PUT', `/api/sites/${siteName}/contents/${sha(text)}${query}`, {bytes: text, key});
		assert.equal(put.statusCode, 200, put.body);
	}
	const commit = await request('PUT', `/api/sites/${siteName}${query}`, {json: {files: listing(files)}, key});
	assert.equal(commit.statusCode, 200, commit.body);
	return {missing, site: commit.json() as {siteName: string; shared: boolean; serveUrl: string; hash: string; files: number; sizeInBytes: number; removedFiles: number}};
};

before(async () => {
	dir = makeTempDir();
	context = testAppContext({
		dir,
		keys: [KEY_A, KEY_B],
		// No browser here: any site's composition resolves to this one (sites.test.ts resolves real ones).
		siteBrowser: {
			resolveComposition: async (_site, id) => ({id, durationInFrames: 30, fps: 30, width: 320, height: 180, props: {}, defaultProps: {}}),
			listCompositions: async (site, inputProps) => [
				{id: `${site.name}-main`, durationInFrames: 30, fps: 30, width: 320, height: 180, props: inputProps, defaultProps: {}, defaultCodec: null, defaultOutName: null, defaultVideoImageFormat: null, defaultPixelFormat: null, defaultProResProfile: null, defaultSampleRate: null},
			],
			renderStill: async () => undefined,
		},
	});
	app = await buildApp(context);
});
after(async () => {
	await app.close();
	await context.backend.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('/api/sites', () => {
	it('deploys in three steps, uploads only new contents the next time, and keeps a hash per version', async () => {
		const first = await deploy('demo');
		assert.equal(first.missing.length, 3);
		assert.deepEqual([first.site.siteName, first.site.serveUrl, first.site.files], ['demo', 'http://farm.test/api/sites/demo/', 3]);
		const same = await deploy('demo');
		assert.deepEqual(same.missing, [], 'nothing new to upload');
		assert.equal(same.site.hash, first.site.hash);
		const changed = await deploy('demo', {...FILES, 'bundle.js': 'console.log("site v2")'});
		assert.deepEqual(changed.missing, [sha('console.log("site v2")')]);
		assert.notEqual(changed.site.hash, first.site.hash);
		assert.deepEqual([first.site.removedFiles, same.site.removedFiles, changed.site.removedFiles], [0, 0, 1], 'the first bundle.js went');
		// The old bundle.js is gone from the bucket: only what the site's version uses is kept.
		const stored = await context.storage.list('sites/');
		assert.equal(stored.filter((object) => object.key.endsWith('/data')).length, 3);
		// The bucket's sites/ folder is not reachable through /files/, even with the owner's key.
		for (const object of stored) {
			assert.equal((await request('GET', `/files/${object.key}`)).statusCode, 404, object.key);
		}
		assert.equal((await request('GET', '/files/sites/')).statusCode, 404);
		const listed = (await request('GET', '/api/sites')).json() as {sites: {siteName: string}[]; bucketName: string};
		assert.deepEqual(listed.sites.map((site) => site.siteName), ['demo']);
		assert.equal(listed.bucketName, 'framefarm-test');
	});

	it('answers each mistake with its status and a message naming the field', async () => {
		const cases: [string, Awaited<ReturnType<typeof request>>, number, RegExp][] = [
			['a site name with capitals', await request('POST', '/api/sites/Demo/plan', {json: {files: listing()}}), 400, /^siteName must be 1-63 lowercase letters/],
			['a path leaving the bundle', await request('POST', '/api/sites/demo/plan', {json: {files: [...listing(), {path: '../x', size: 1, sha256: sha('x')}]}}), 400, /^files\.3\.path must be a relative path inside the bundle/],
			['no index.html', await request('POST', '/api/sites/demo/plan', {json: {files: listing({'bundle.js': 'x'})}}), 400, /^files must include index\.html/],
			['a path twice', await request('POST', '/api/sites/demo/plan', {json: {files: [...listing(), listing()[0]]}}), 400, /^files must not name a path twice/],
			['a bad hash in the URL', await request('PUT', '/api/sites/demo/contents/abc', {bytes: 'x'}), 400, /^sha256 must be a SHA-256 in hex/],
			['a body that is not what its hash says', await request('PUT', `/api/sites/demo/contents/${sha('expected')}`, {bytes: 'something else'}), 400, /^The body's SHA-256 is [0-9a-f]{64}, not/],
			['a file as JSON', await request('PUT', `/api/sites/demo/contents/${sha('x')}`, {json: {x: 1}}), 415, /application\/octet-stream/],
			['a commit before the uploads', await request('PUT', '/api/sites/fresh', {json: {files: listing()}}), 400, /^3 file\(s\) were not uploaded: index\.html, bundle\.js, public\/my image\.png/],
			['an unknown site', await request('GET', '/api/sites/nothing-here'), 404, /^Site nothing-here was not found/],
			['compositions of no site', await request('POST', '/api/compositions', {json: {inputProps: {}}}), 400, /^siteName or serveUrl must name the site/],
			['compositions with props not an object', await request('POST', '/api/compositions', {json: {siteName: 'demo', inputProps: [1]}}), 400, /^inputProps must be an object/],
		];
		for (const [what, response, status, pattern] of cases) {
			assert.equal(response.statusCode, status, `${what}: ${response.body}`);
			assert.match((response.json() as {error: string}).error, pattern, what);
		}
	});

	it('shows, changes and renders a site for the key that deployed it only', async () => {
		await deploy('mine');
		assert.deepEqual((await request('GET', '/api/sites', {key: KEY_B})).json(), {sites: [], bucketName: 'framefarm-test'});
		const compositions = await request('POST', '/api/compositions', {json: {siteName: 'mine', inputProps: {color: 'red'}}});
		assert.equal(compositions.statusCode, 200, compositions.body);
		assert.deepEqual((compositions.json() as {compositions: {id: string; props: object}[]}).compositions.map(({id, props}) => ({id, props})), [{id: 'mine-main', props: {color: 'red'}}]);
		const byUrl = await request('POST', '/api/compositions', {json: {serveUrl: 'http://farm.test/api/sites/mine/'}});
		assert.equal(byUrl.statusCode, 200, byUrl.body);
		const theirCompositions = await request('POST', '/api/compositions', {json: {siteName: 'mine', inputProps: {}}, key: KEY_B});
		assert.equal(theirCompositions.statusCode, 400);
		assert.match((theirCompositions.json() as {error: string}).error, /^siteName: this key has no site "mine"/);
		assert.equal((await request('GET', '/api/sites/mine', {key: KEY_B})).statusCode, 404);
		assert.equal((await request('DELETE', '/api/sites/mine', {key: KEY_B})).statusCode, 404);
		const render = await request('POST', '/api/render', {json: {siteName: 'mine', composition: 'Any', inputProps: {}}, key: KEY_B});
		assert.equal(render.statusCode, 400);
		assert.match((render.json() as {error: string}).error, /this key has no site "mine"/);
		// B deploys a site of the same name: its own, beside A's.
		const theirs = await deploy('mine', {'index.html': 'B'}, KEY_B);
		assert.equal(theirs.site.files, 1);
		assert.equal(((await request('GET', '/api/sites/mine')).json() as {files: number}).files, 3, "A's is untouched");
		assert.equal((await request('DELETE', '/api/sites/mine')).statusCode, 200);
		assert.equal((await request('GET', '/api/sites/mine')).statusCode, 404);
		assert.equal((await request('GET', '/api/sites/mine', {key: KEY_B})).statusCode, 200, "B's is still there");
	});
	it('shares a site with --shared: every key lists and renders it, only the key that deployed it replaces or removes it', async () => {
		const {site} = await deploy('common', FILES, KEY_A, '?shared=true');
		assert.equal(site.shared, true);
		const seenByB = (await request('GET', '/api/sites', {key: KEY_B})).json() as {sites: {siteName: string; shared: boolean}[]};
		assert.ok(seenByB.sites.some((entry) => entry.siteName === 'common' && entry.shared));
		assert.equal((await request('GET', '/api/sites/common', {key: KEY_B})).statusCode, 200);
		const render = await request('POST', '/api/render', {json: {siteName: 'common', composition: 'Any', inputProps: {}}, key: KEY_B});
		assert.equal(render.statusCode, 202, render.body);
		const stored = await context.backend.getRender((render.json() as {renderId: string}).renderId);
		assert.deepEqual(stored?.job.site, {kind: 'deployed', owner: 'shared', name: 'common', hash: site.hash});
		const taken = await request('PUT', '/api/sites/common?shared=true', {json: {files: listing()}, key: KEY_B});
		assert.equal(taken.statusCode, 409);
		assert.match((taken.json() as {error: string}).error, /^The shared site "common" was deployed by another key/);
		assert.equal((await request('POST', '/api/sites/common/plan?shared=true', {json: {files: listing()}, key: KEY_B})).statusCode, 409);
		assert.equal((await request('DELETE', '/api/sites/common?shared=true', {key: KEY_B})).statusCode, 404);
		assert.equal((await request('DELETE', '/api/sites/common?shared=true')).statusCode, 200);
		assert.equal((await request('GET', '/api/sites/common', {key: KEY_B})).statusCode, 404);
	});
});
