import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, before, beforeEach, describe, it} from 'node:test';
import type {FastifyInstance} from 'fastify';
import type {Backend} from '../src/backend/backend.js';
import {progressResponseSchema, statusResponseSchema} from '../src/progress/progress-schemas.js';
import type {AppContext} from '../src/server/app-context.js';
import {buildApp} from '../src/server/build-app.js';
import {makeTempDir} from './helpers.js';
import {testAppContext} from './test-app-context.js';
import {DEFAULT_SUBMIT_LIMITS} from '../src/server/submit-limits.js';

const KEY_A = 'key-a-123';
const KEY_B = 'key-b-456';
const CODE = "import {AbsoluteFill} from 'remotion';\nexport const Hello = () => <AbsoluteFill style={{background: 'red'}} />;";

let dir: string;
let app: FastifyInstance;
let backend: Backend;
let context: AppContext;

const setUp = async (overrides: Partial<AppContext> = {}) => {
	await app?.close();
	await backend?.close();
	context = testAppContext({dir, keys: [KEY_A, KEY_B], ...overrides});
	backend = context.backend;
	app = await buildApp(context);
};

before(() => {
	dir = makeTempDir();
});
after(async () => {
	await app?.close();
	await backend?.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, key: string | null = KEY_A) =>
	app.inject({
		method,
		url,
		headers: {...(key === null ? {} : {authorization: `Bearer ${key}`}), ...(body === undefined ? {} : {'content-type': 'application/json'})},
		payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});

const submit = async (extra: Record<string, unknown> = {}, key = KEY_A) => {
	const response = await call('POST', '/api/render', {inputProps: {code: CODE, durationInFrames: 50, fps: 30}, width: 320, height: 180, ...extra}, key);
	assert.equal(response.statusCode, 202, response.body);
	return response.json() as {renderId: string; bucketName: string; status: string; queuePosition: number};
};

const assertError = (response: {statusCode: number; json: () => unknown; headers: Record<string, unknown>}, status: number, pattern: RegExp) => {
	assert.equal(response.statusCode, status);
	assert.match(String(response.headers['content-type']), /application\/json/);
	const body = response.json() as {error: unknown};
	assert.equal(typeof body.error, 'string');
	assert.match(body.error as string, pattern);
};

describe('API routes (app.inject)', () => {
	beforeEach(() => setUp());

	describe('authentication', () => {
		it('rejects a missing, malformed or unknown key with 401 JSON', async () => {
			for (const headers of [{}, {authorization: 'Basic abc'}, {authorization: 'Bearer nope'}, {authorization: `Bearer ${KEY_A}x`}]) {
				const response = await app.inject({method: 'GET', url: '/api/renders', headers});
				assertError(response, 401, /API key/);
			}
			assert.equal((await call('GET', '/api/renders')).statusCode, 200);
		});

		it("hides another key's renders (404, not 403)", async () => {
			const {renderId} = await submit();
			assertError(await call('GET', `/api/render/${renderId}`, undefined, KEY_B), 404, /not found/);
			assertError(await call('GET', `/api/render/${renderId}/progress`, undefined, KEY_B), 404, /not found/);
			assertError(await call('DELETE', `/api/render/${renderId}`, undefined, KEY_B), 404, /not found/);
			assert.equal(((await call('GET', '/api/renders', undefined, KEY_B)).json() as {renders: unknown[]}).renders.length, 0);
		});
	});

	describe('POST /api/render', () => {
		it('queues renders and reports their positions', async () => {
			const first = await submit();
			assert.deepEqual(Object.keys(first).sort(), ['bucketName', 'cloudWatchLogs', 'folderInS3Console', 'queuePosition', 'renderId', 'status']);
			assert.match(first.renderId, /^[a-z0-9]{12}$/);
			assert.equal(first.bucketName, 'framefarm-test');
			assert.equal(first.status, 'queued');
			assert.equal(first.queuePosition, 1);
			assert.equal((await submit()).queuePosition, 2);
			assert.equal((await submit()).queuePosition, 3);
		});

		const invalid: [string, unknown, RegExp][] = [
			['no body fields', {}, /inputProps/],
			['inputProps not an object', {inputProps: 'x'}, /^inputProps must be an object/],
			['missing code', {inputProps: {durationInFrames: 30, fps: 30}}, /^inputProps\.code /],
			['code not a string', {inputProps: {code: 5, durationInFrames: 30, fps: 30}}, /^inputProps\.code must be a string/],
			['fps as a string', {inputProps: {code: CODE, durationInFrames: 30, fps: '30'}}, /^inputProps\.fps must be a number/],
			['negative duration', {inputProps: {code: CODE, durationInFrames: -5, fps: 30}}, /^inputProps\.durationInFrames must be at least 1/],
			['fractional duration', {inputProps: {code: CODE, durationInFrames: 2.5, fps: 30}}, /^inputProps\.durationInFrames must be a whole number/],
			['huge fps', {inputProps: {code: CODE, durationInFrames: 30, fps: 1e9}}, /^inputProps\.fps must be at most 240/],
			['odd width', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, width: 321}, /^width must be even/],
			['a codec Remotion Lambda has not', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, codec: 'av1'}, /^codec must be one of h264, h265, vp8, vp9, prores, gif, mp3, aac, wav/],
			['an option framefarm does not take', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, webhookUrl: 'x', privacy: 'public'}, /^body has options framefarm does not take: webhookUrl, privacy/],
			['a CRF out of the codec\'s range', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, codec: 'vp8', crf: 2}, /^crf must be between 4 and 63 for vp8/],
			['an audio codec the codec cannot hold', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, codec: 'vp9', audioCodec: 'aac'}, /^audioCodec must be opus or pcm-16 for vp9/],
			['a ProRes profile without prores', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, proResProfile: 'hq'}, /^proResProfile is for the prores codec only/],
			['an outName with another codec\'s extension', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, codec: 'vp9', outName: 'clip.mp4'}, /^outName must end in \.webm for vp9/],
			['a transparent pixel format without png', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, codec: 'vp9', pixelFormat: 'yuva420p'}, /^imageFormat must be png for pixelFormat yuva420p/],
			['a scale that makes odd dimensions for h264', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, width: 320, height: 180, scale: 0.25}, /^scale makes the output 80x45; h264 needs even dimensions/],
			['no frames for a video codec', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, imageFormat: 'none'}, /^imageFormat can be none only for audio codecs/],
			['a path in outName', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, outName: '../../etc/x.mp4'}, /^outName must be a file name/],
			['framesPerChunk zero', {inputProps: {code: CODE, durationInFrames: 30, fps: 30}, framesPerChunk: 0}, /^framesPerChunk must be at least 1/],
		];
		for (const [what, body, pattern] of invalid) {
			it(`400 for ${what}, naming the field`, async () => {
				const response = await call('POST', '/api/render', body);
				assertError(response, 400, pattern);
				assert.equal((response.json() as {code: string}).code, 'invalid_request');
			});
		}

		it('400 for code that does not compile, with line and column, and nothing is queued', async () => {
			const response = await call('POST', '/api/render', {inputProps: {code: 'export const A = () => <div>;\n', durationInFrames: 30, fps: 30}});
			assertError(response, 400, /does not compile \(line 2, column 1\)/);
			const body = response.json() as {code: string; line: number; column: number};
			assert.deepEqual([body.code, body.line, body.column], ['compile_error', 2, 1]);
			assertError(await call('POST', '/api/render', {inputProps: {code: 'Create a rotating 3D cube with blue color', durationInFrames: 30, fps: 30}}), 400, /text prompt/);
			assertError(await call('POST', '/api/render', {inputProps: {code: "import fs from 'fs'; export default () => null;", durationInFrames: 30, fps: 30}}), 400, /Cannot import "fs"/);
			assert.equal(((await call('GET', '/api/renders')).json() as {renders: unknown[]}).renders.length, 0);
		});

		it('400 for malformed JSON or a non-JSON body, 415 for an unsupported content type', async () => {
			assertError(await call('POST', '/api/render', '{"inputProps": '), 400, /JSON/);
			const text = await app.inject({method: 'POST', url: '/api/render', headers: {authorization: `Bearer ${KEY_A}`, 'content-type': 'text/plain'}, payload: 'hello'});
			assertError(text, 400, /^body must be a JSON object/);
			const xml = await app.inject({method: 'POST', url: '/api/render', headers: {authorization: `Bearer ${KEY_A}`, 'content-type': 'application/xml'}, payload: '<a/>'});
			assertError(xml, 415, /content-type/i);
		});
	});

	describe('webhooks on submit', () => {
		const withWebhook = (webhook: unknown) => call('POST', '/api/render', {inputProps: {code: CODE, durationInFrames: 50, fps: 30}, width: 320, height: 180, webhook});

		it('stores url, secret and customData with the render', async () => {
			const response = await withWebhook({url: 'https://93.184.215.14/hook', secret: 'shh', customData: {a: 1}});
			assert.equal(response.statusCode, 202, response.body);
			const render = await backend.getRender((response.json() as {renderId: string}).renderId);
			assert.deepEqual(render?.job.webhook, {url: 'https://93.184.215.14/hook', secret: 'shh', customData: {a: 1}});
			const bare = await withWebhook({url: 'https://93.184.215.14/hook'});
			assert.deepEqual((await backend.getRender((bare.json() as {renderId: string}).renderId))?.job.webhook, {url: 'https://93.184.215.14/hook', secret: null, customData: null});
		});

		it('400 for a malformed webhook, naming the field', async () => {
			for (const [webhook, pattern] of [
				[{url: 'not a url'}, /^webhook\.url must be a URL/],
				[{url: 'ftp://93.184.215.14/x'}, /^webhook\.url must be an http or https URL/],
				[{url: 'https://93.184.215.14/x', customData: {blob: 'x'.repeat(1100)}}, /^webhook\.customData must be at most 1024 bytes as JSON/],
				[{url: 'https://93.184.215.14/x', customData: [1, 2]}, /^webhook\.customData must be a JSON object/],
				[{url: 'https://93.184.215.14/x', secret: 5}, /^webhook\.secret must be a string or null/],
				['https://93.184.215.14/x', /^webhook must be an object/],
			] as const) {
				assertError(await withWebhook(webhook), 400, pattern);
			}
		});

		it('400 for loopback, private and link-local targets unless FRAMEFARM_ALLOWED_WEBHOOK_HOSTS lists the host', async () => {
			for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.8/hook', 'http://192.168.1.2/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook', 'http://localhost/hook', 'http://[::ffff:127.0.0.1]/hook']) {
				assertError(await withWebhook({url}), 400, /^webhook\.url points at .*(loopback|private|link-local) address; list its host in FRAMEFARM_ALLOWED_WEBHOOK_HOSTS/);
			}
			await setUp({allowedWebhookHosts: ['127.0.0.1:8080', 'localhost']});
			assert.equal((await withWebhook({url: 'http://127.0.0.1:8080/hook'})).statusCode, 202);
			assert.equal((await withWebhook({url: 'http://localhost/hook'})).statusCode, 202);
			assertError(await withWebhook({url: 'http://127.0.0.1:9090/hook'}), 400, /loopback/);
		});
	});

	describe('limits', () => {
		const limited = (limits: Partial<typeof DEFAULT_SUBMIT_LIMITS>, now = Date.now) => setUp({limits: {...DEFAULT_SUBMIT_LIMITS, ...limits}, now});
		const body = (inputProps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
			inputProps: {code: CODE, durationInFrames: 50, fps: 30, ...inputProps},
			width: 320,
			height: 180,
			...extra,
		});

		it('400 outside the server’s duration, fps and size limits, naming the field and the setting', async () => {
			await limited({maxDurationInFrames: 100, minFps: 10, maxFps: 60, maxWidth: 640, maxHeight: 480});
			for (const [request, pattern] of [
				[body({durationInFrames: 101}), /^inputProps\.durationInFrames must be at most 100 .*FRAMEFARM_MAX_DURATION_IN_FRAMES/],
				[body({fps: 5}), /^inputProps\.fps must be between 10 and 60 .*FRAMEFARM_MIN_FPS/],
				[body({fps: 61}), /^inputProps\.fps must be between 10 and 60/],
				[body({}, {width: 642}), /^width must be at most 640 .*FRAMEFARM_MAX_WIDTH/],
				[body({}, {height: 482}), /^height must be at most 480 .*FRAMEFARM_MAX_HEIGHT/],
			] as const) {
				assertError(await call('POST', '/api/render', request), 400, pattern);
			}
			assertError(await call('POST', '/api/lambda/render', {inputProps: {code: CODE, durationInFrames: 101, fps: 30}}), 400, /^inputProps\.durationInFrames must be at most 100/);
			assert.equal((await backend.countQueued(context.authenticate(`Bearer ${KEY_A}`)!)), 0, 'nothing was queued');
		});

		it('413 for code or a body larger than the server takes', async () => {
			await limited({maxCodeBytes: 2000, maxBodyBytes: 8000});
			const padded = (bytes: number) => `${CODE}\n// ${'x'.repeat(bytes)}`;
			assertError(await call('POST', '/api/render', body({code: padded(3000)})), 413, /^inputProps\.code is \d+ bytes; this server takes at most 2000 \(FRAMEFARM_MAX_CODE_BYTES\)/);
			assertError(await call('POST', '/api/render', body({code: padded(9000)})), 413, /at most 8000 bytes \(FRAMEFARM_MAX_BODY_BYTES\)/);
			assert.equal((await call('POST', '/api/render', body())).statusCode, 202, 'the server keeps serving');
		});

		it('429 with Retry-After past a key’s submit rate; other keys are not held back', async () => {
			await limited({submitsPerMinute: 2});
			await submit();
			await submit();
			const refused = await call('POST', '/api/render', body());
			assertError(refused, 429, /may submit 2 renders a minute \(FRAMEFARM_RATE_LIMIT\); try again in (\d+ seconds|1 minute)$/);
			const retryAfter = Number(refused.headers['retry-after']);
			assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
			assert.equal((await call('POST', '/api/render', {inputProps: {fps: 30}})).statusCode, 400, 'a malformed body is told what is wrong first');
			await submit({}, KEY_B);
		});

		it('429 with Retry-After when a key has too many renders queued; a started or cancelled one makes room', async () => {
			await limited({maxQueuedPerKey: 2});
			const {renderId} = await submit();
			await submit();
			const refused = await call('POST', '/api/render', body());
			assertError(refused, 429, /already has 2 renders waiting in the queue.*FRAMEFARM_MAX_QUEUED_PER_KEY/);
			assert.ok(Number(refused.headers['retry-after']) > 0);
			await submit({}, KEY_B);
			assert.equal((await call('DELETE', `/api/render/${renderId}`)).statusCode, 200);
			await submit();
		});
	});

	describe('POST /api/lambda/render', () => {
		it('answers with renderId, bucketName, cloudWatchLogs and folderInS3Console', async () => {
			const response = await call('POST', '/api/lambda/render', {inputProps: {code: CODE, durationInFrames: 150, fps: 30}});
			assert.equal(response.statusCode, 200);
			const body = response.json() as Record<string, string>;
			assert.deepEqual(Object.keys(body).sort(), ['bucketName', 'cloudWatchLogs', 'folderInS3Console', 'renderId']);
			assert.equal(body.cloudWatchLogs, `http://farm.test/api/render/${body.renderId}/log`);
			assert.equal(body.folderInS3Console, context.fileUrls.url(`renders/${body.renderId}/`));
			assert.match(body.folderInS3Console!, new RegExp(`^http://farm\\.test/files/renders/${body.renderId}/\\?expires=\\d+&signature=[0-9a-f]{64}$`));
			const render = await backend.getRender(body.renderId!);
			assert.deepEqual([render?.job.composition.width, render?.job.composition.height, render?.job.framesPerChunk], [1920, 1080, 20]);
		});

		it('answers {error} for bad input', async () => {
			assertError(await call('POST', '/api/lambda/render', {inputProps: {code: CODE, fps: 30}}), 400, /^inputProps\.durationInFrames/);
		});

		it('answers the configuration error when storage lacks credentials', async () => {
			await setUp({storageProblem: 'The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing. Add it to your .env file.'});
			const response = await call('POST', '/api/lambda/render', {inputProps: {code: CODE, durationInFrames: 150, fps: 30}});
			assert.equal(response.statusCode, 500);
			assert.deepEqual(response.json(), {error: 'The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing. Add it to your .env file.', code: 'storage_not_configured'});
		});
	});

	describe('progress routes', () => {
		it('follow a render from queued through rendering and stitching to done', async () => {
			const ahead = await submit();
			const {renderId} = await submit();
			const status = async () => (await call('GET', `/api/render/${renderId}`)).json();
			const app = async () => (await call('POST', '/api/lambda/progress', {id: renderId, bucketName: 'framefarm-test'})).json();
			const full = async () => {
				const response = await call('GET', `/api/render/${renderId}/progress`);
				assert.equal(response.statusCode, 200);
				// Every field present with its documented type, and nothing else.
				return progressResponseSchema.strict().parse(response.json());
			};
			const seen: number[] = [];
			const check = async () => {
				const progress = await full();
				seen.push(progress.overallProgress);
				statusResponseSchema.parse(await status());
				return progress;
			};

			assert.deepEqual(await status(), {type: 'queued', status: 'QUEUED', queuePosition: 2, progress: 0});
			assert.deepEqual(await app(), {type: 'progress', progress: 0});
			let progress = await check();
			assert.equal(progress.overallProgress, 0);
			assert.equal(progress.queuePosition, 2);
			assert.equal(progress.renderMetadata.totalChunks, 3);
			assert.equal(progress.renderMetadata.estimatedTotalLambdaInvokations, 4);
			assert.equal(progress.outputFile, null);
			assert.equal(progress.mostExpensiveFrameRanges, null);

			await backend.cancelRender(ahead.renderId);
			assert.deepEqual(await status(), {type: 'queued', status: 'QUEUED', queuePosition: 1, progress: 0});
			const tasks = [await backend.claimTask('w/slot-0'), await backend.claimTask('w/slot-1')];
			assert.ok(tasks.every((task) => task?.render.id === renderId));
			progress = await check();
			assert.equal(progress.queuePosition, null);
			assert.equal(progress.lambdasInvoked, 2);
			const rendering = await status();
			assert.equal(rendering.type, 'progress');

			await backend.reportChunkProgress(renderId, 0, {renderedFrames: 10, encodedFrames: 5});
			progress = await check();
			assert.equal(progress.framesRendered, 10);
			await backend.failChunk(renderId, 1, {type: 'renderer', message: 'flaky', name: 'Error', stack: '', frame: 25, explanation: null, unrecoverable: false, busyMs: 30});
			progress = await check();
			assert.equal(progress.errors.length, 1);
			assert.equal(progress.errors[0]?.willRetry, true);
			assert.equal(progress.fatalErrorEncountered, false);
			assert.equal((await status()).type, 'progress', 'a retried error is not the end');

			for (let i = 0; i < 3; i++) {
				const task = await backend.claimTask('w/slot-0');
				if (task?.type === 'chunk') {
					await backend.completeChunk(renderId, task.chunk.index, {busyMs: 40, bytes: 100});
				}
			}
			await backend.completeChunk(renderId, 0, {busyMs: 40, bytes: 100});
			progress = await check();
			assert.equal(progress.chunks, 3);
			assert.deepEqual(progress.encodingStatus, {framesEncoded: 0, combinedFrames: 0, timeToCombine: null});
			const stitch = await backend.claimTask('w/slot-0');
			assert.equal(stitch?.type, 'stitch');
			await backend.reportStitchProgress(renderId, 30);
			progress = await check();
			assert.deepEqual(progress.encodingStatus, {framesEncoded: 30, combinedFrames: 30, timeToCombine: null});

			await backend.completeRender(renderId, {outKey: `renders/${renderId}/out.mp4`, outSize: 12345});
			progress = await check();
			assert.equal(progress.done, true);
			assert.equal(progress.overallProgress, 1);
			const outputUrl = context.fileUrls.url(`renders/${renderId}/out.mp4`);
			assert.equal(progress.outputFile, outputUrl);
			assert.equal(progress.outKey, `renders/${renderId}/out.mp4`);
			assert.equal(typeof progress.timeToFinish, 'number');
			assert.equal(progress.mostExpensiveFrameRanges?.length, 3);
			assert.ok(progress.costs.accruedSoFar > 0);
			assert.equal(progress.renderSize, 300 + 12345);
			assert.deepEqual(await status(), {type: 'done', url: outputUrl, size: 12345});
			assert.deepEqual(await app(), {type: 'done', url: outputUrl, size: 12345});
			assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `overallProgress never decreases: ${seen.join(', ')}`);

			const log = await call('GET', `/api/render/${renderId}/log`);
			assert.equal(log.statusCode, 200);
			assert.match(log.headers['content-type'] as string, /text\/plain/);
			assert.match(log.body, /chunk 1: attempt 1 of 2 failed at frame 25: flaky \(will retry\)/);
		});

		it('reports a failed render as {type: "error"} naming chunk and frame', async () => {
			const {renderId} = await submit({framesPerChunk: 50});
			await backend.claimTask('w/slot-0');
			const failure = {type: 'renderer' as const, message: 'gave up', name: 'Error', stack: '', frame: 37, explanation: null, unrecoverable: false, busyMs: 1};
			await backend.failChunk(renderId, 0, failure);
			await backend.claimTask('w/slot-0');
			await backend.failChunk(renderId, 0, failure);
			const expected = {type: 'error', message: 'Chunk 0 failed at frame 37 on attempt 2 of 2: gave up'};
			assert.deepEqual((await call('GET', `/api/render/${renderId}`)).json(), expected);
			assert.deepEqual((await call('POST', '/api/lambda/progress', {id: renderId, bucketName: 'x'})).json(), expected);
			assert.equal(((await call('GET', `/api/render/${renderId}/progress`)).json() as {fatalErrorEncountered: boolean}).fatalErrorEncountered, true);
		});

		it('404 JSON for an unknown render, 400 for a malformed id or body', async () => {
			assertError(await call('GET', '/api/render/abc123'), 404, /Render abc123 was not found/);
			assertError(await call('GET', '/api/render/abc123/progress'), 404, /not found/);
			assertError(await call('GET', '/api/render/abc123/log'), 404, /not found/);
			assertError(await call('POST', '/api/lambda/progress', {id: 'abc123', bucketName: 'b'}), 404, /not found/);
			assertError(await call('GET', '/api/render/..%2F..%2Fetc'), 400, /^renderId must be a render id/);
			assertError(await call('GET', '/api/render/ABC'), 400, /^renderId must be a render id/);
			assertError(await call('POST', '/api/lambda/progress', {bucketName: 'b'}), 400, /^id /);
			assertError(await call('POST', '/api/lambda/progress', {id: 7, bucketName: 'b'}), 400, /^id must be a string/);
		});
	});

	describe('GET /api/renders and DELETE /api/render/{renderId}', () => {
		it('lists newest first with pages', async () => {
			const ids = [];
			for (let i = 0; i < 5; i++) {
				ids.push((await submit()).renderId);
			}
			const page1 = (await call('GET', '/api/renders?limit=2')).json() as {renders: {renderId: string; status: string; queuePosition: number | null}[]; nextOffset: number | null};
			assert.deepEqual(page1.renders.map((r) => r.renderId), [ids[4], ids[3]]);
			assert.deepEqual(page1.renders.map((r) => [r.status, r.queuePosition]), [['queued', 5], ['queued', 4]], 'nothing renders here: all five wait');
			assert.equal(page1.nextOffset, 2);
			const page3 = (await call('GET', '/api/renders?limit=2&offset=4')).json() as {renders: {renderId: string}[]; nextOffset: number | null};
			assert.deepEqual(page3.renders.map((r) => r.renderId), [ids[0]]);
			assert.equal(page3.nextOffset, null);
			assertError(await call('GET', '/api/renders?limit=0'), 400, /^limit must be at least 1/);
			assertError(await call('GET', '/api/renders?limit=abc'), 400, /^limit /);
			assertError(await call('GET', '/api/renders?offset=-1'), 400, /^offset must be at least 0/);
		});

		it('filters by status, renders a job again, and shows each chunk attempt with its slot and outcome', async () => {
			await setUp();
			const {renderId} = await submit({framesPerChunk: 25});
			const waiting = await submit();
			const [first, second] = [await backend.claimTask('host/slot-0'), await backend.claimTask('host/slot-1')];
			assert.deepEqual([first?.type, second?.type], ['chunk', 'chunk']);
			await backend.failChunk(renderId, 1, {type: 'renderer', message: 'flaky', name: 'Error', stack: '', frame: 30, explanation: null, unrecoverable: false, busyMs: 10});
			await backend.completeChunk(renderId, 0, {busyMs: 10, bytes: 10});
			const retry = await backend.claimTask('host/slot-0');
			assert.equal(retry?.type === 'chunk' && retry.chunk.index, 1);

			const chunks = (await call('GET', `/api/render/${renderId}/chunks`)).json() as {chunks: {index: number; attempts: {attempt: number; worker: string; outcome: string; endedAt: number | null}[]}[]};
			assert.deepEqual(
				chunks.chunks.map((chunk) => chunk.attempts.map((attempt) => `${chunk.index}.${attempt.attempt}@${attempt.worker}:${attempt.outcome}`)),
				[['0.1@host/slot-0:done'], ['1.1@host/slot-1:failed', '1.2@host/slot-0:rendering']],
			);
			assert.equal(chunks.chunks[1]!.attempts[1]!.endedAt, null);
			assertError(await call('GET', `/api/render/${renderId}/chunks`, undefined, KEY_B), 404, /not found/);

			const rendering = (await call('GET', '/api/renders?status=rendering')).json() as {renders: {renderId: string; overallProgress: number; estimatedCost: number; outputSizeInBytes: number | null}[]};
			assert.deepEqual(rendering.renders.map((render) => render.renderId), [renderId]);
			assert.ok(rendering.renders[0]!.overallProgress > 0 && rendering.renders[0]!.estimatedCost >= 0 && rendering.renders[0]!.outputSizeInBytes === null, JSON.stringify(rendering));
			assert.deepEqual(((await call('GET', '/api/renders?status=queued')).json() as {renders: {renderId: string}[]}).renders.map((render) => render.renderId), [waiting.renderId]);
			assertError(await call('GET', '/api/renders?status=finished'), 400, /^status must be one of queued, rendering/);

			const again = await call('POST', `/api/render/${renderId}/again`, {});
			assert.equal(again.statusCode, 202, again.body);
			const copy = again.json() as {renderId: string; queuePosition: number};
			assert.notEqual(copy.renderId, renderId);
			assert.equal(copy.queuePosition, 2);
			const [original, copied] = await Promise.all([backend.getRender(renderId), backend.getRender(copy.renderId)]);
			assert.deepEqual(copied?.job, original?.job);
			assertError(await call('POST', `/api/render/${renderId}/again`, {}, KEY_B), 404, /not found/);
		});

		it('compiles code as a render does (POST /api/compile), or says where it stops', async () => {
			const compiled = await call('POST', '/api/compile', {code: CODE});
			assert.equal(compiled.statusCode, 200, compiled.body);
			assert.match((compiled.json() as {js: string}).js, /module\.exports|exports\./);
			const broken = await call('POST', '/api/compile', {code: 'export const A = () => <div>{</div>;'});
			assertError(broken, 400, /does not compile \(line 1, column \d+\)/);
			assert.deepEqual([(broken.json() as {line: number}).line, typeof (broken.json() as {column: number}).column], [1, 'number']);
			assertError(await call('POST', '/api/compile', {code: 5}), 400, /^code must be a string/);
			assertError(await call('POST', '/api/compile', {code: CODE}, null), 401, /API key/);
		});

		it('deletes only a finished render of its own key (DELETE /api/renders/{id}, Lambda\'s deleteRender())', async () => {
			const {renderId} = await submit();
			assertError(await call('DELETE', `/api/renders/${renderId}`), 409, /is still queued: cancel it first/);
			assertError(await call('DELETE', `/api/renders/${renderId}`, undefined, KEY_B), 404, /not found/);
			assert.equal((await call('DELETE', `/api/render/${renderId}`)).statusCode, 200);
			const deleted = await call('DELETE', `/api/renders/${renderId}`);
			assert.equal(deleted.statusCode, 200, deleted.body);
			assert.deepEqual(deleted.json(), {freedBytes: 0});
			assertError(await call('GET', `/api/render/${renderId}`), 404, /not found/);
		});

		it('cancels a queued render, which then reports {type: "error", message: "cancelled"}', async () => {
			const first = await submit();
			const second = await submit();
			const response = await call('DELETE', `/api/render/${first.renderId}`);
			assert.equal(response.statusCode, 200);
			assert.deepEqual(response.json(), {type: 'error', message: 'cancelled'});
			assert.deepEqual((await call('GET', `/api/render/${first.renderId}`)).json(), {type: 'error', message: 'cancelled'});
			assert.deepEqual((await call('GET', `/api/render/${second.renderId}`)).json(), {type: 'queued', status: 'QUEUED', queuePosition: 1, progress: 0});
			assertError(await call('DELETE', '/api/render/nosuchrender'), 404, /not found/);
		});

		it('409 when cancelling a finished render', async () => {
			const {renderId} = await submit({framesPerChunk: 50});
			const task = await backend.claimTask('w/slot-0');
			assert.equal(task?.type, 'chunk');
			await backend.completeChunk(renderId, 0, {busyMs: 1, bytes: 1});
			await backend.claimTask('w/slot-0');
			await backend.completeRender(renderId, {outKey: `renders/${renderId}/out.mp4`, outSize: 1});
			assertError(await call('DELETE', `/api/render/${renderId}`), 409, /already done/);
		});
	});

	describe('files, OpenAPI, unknown routes', () => {
		it('publishes an OpenAPI document generated from the route schemas', async () => {
			const response = await app.inject({method: 'GET', url: '/openapi.json'});
			assert.equal(response.statusCode, 200);
			const doc = response.json() as {openapi: string; paths: Record<string, Record<string, {requestBody?: unknown}>>};
			assert.match(doc.openapi, /^3\./);
			for (const [route, method] of [
				['/api/render', 'post'],
				['/api/lambda/render', 'post'],
				['/api/render/{renderId}', 'get'],
				['/api/render/{renderId}', 'delete'],
				['/api/lambda/progress', 'post'],
				['/api/render/{renderId}/progress', 'get'],
				['/api/renders', 'get'],
				['/api/sites', 'get'],
				['/api/sites/{siteName}', 'put'],
				['/api/sites/{siteName}/plan', 'post'],
				['/api/sites/{siteName}/contents/{sha256}', 'put'],
				['/api/sites/{siteName}', 'delete'],
			] as const) {
				assert.ok(doc.paths[route]?.[method], `${method} ${route} is documented`);
			}
			const submitBody = JSON.stringify(doc.paths['/api/render']?.post?.requestBody);
			for (const field of ['durationInFrames', 'siteName', 'serveUrl', 'composition']) {
				assert.ok(submitBody.includes(field), `POST /api/render documents ${field}`);
			}
		});

		it('answers /health while up, and /ready only when it can serve (no key needed for either)', async () => {
			await setUp();
			assert.deepEqual((await app.inject({method: 'GET', url: '/health'})).json(), {ok: true});
			const ready = await app.inject({method: 'GET', url: '/ready'});
			assert.equal(ready.statusCode, 200, ready.body);
			assert.deepEqual(ready.json(), {ready: true});
			await setUp({storageProblem: 'The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing. Add it to your .env file.'});
			const refused = await app.inject({method: 'GET', url: '/ready'});
			assertError(refused, 503, /^The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing/);
			assert.equal((refused.json() as {ready: boolean}).ready, false);
			await setUp();
		});

		it('answers unknown routes with 404 JSON', async () => {
			assertError(await call('GET', '/api/nothing'), 404, /No route GET \/api\/nothing/);
			assertError(await app.inject({method: 'GET', url: '/nothing'}), 404, /No route/);
		});
	});
});
