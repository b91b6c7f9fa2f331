import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createLocalBackend} from '../src/backend/local/create-local-backend.js';
import {testJob} from './backend-conformance.js';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {deliverWebhook, webhookSignature} from '../src/webhooks/deliver-webhook.js';
import {startWebhookNotifier} from '../src/webhooks/start-webhook-notifier.js';
import type {WebhookPayload} from '../src/webhooks/webhook-payload.js';
import {api, makeTempDir, readExample, startServe, waitFor, type ServeProcess} from './helpers.js';
import {testWebhookSecret} from './suite-logs.js';

const WEBHOOK_SECRET = testWebhookSecret();

type Received = {path: string; headers: http.IncomingHttpHeaders; body: string; at: number};

/** A webhook receiver on loopback: /ok answers 200, /flaky 500 twice then 200, /never never answers. */
const startReceiver = async () => {
	const received: Received[] = [];
	const flakyCount = new Map<string, number>();
	const hanging: http.ServerResponse[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push({path: req.url ?? '', headers: req.headers, body, at: Date.now()});
			if (req.url?.startsWith('/never')) {
				hanging.push(res);
				return;
			}
			if (req.url?.startsWith('/flaky')) {
				const seen = (flakyCount.get(req.url) ?? 0) + 1;
				flakyCount.set(req.url, seen);
				res.writeHead(seen <= 2 ? 500 : 200).end();
				return;
			}
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: () => {
			hanging.forEach((res) => res.destroy());
			server.closeAllConnections();
			server.close();
		},
	};
};

const verify = (received: Received, secret: string) => {
	const expected = `sha512=${crypto.createHmac('sha512', secret).update(received.body).digest('hex')}`;
	const given = String(received.headers['x-remotion-signature']);
	return given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
};

const PAYLOAD: WebhookPayload = {type: 'timeout', renderId: 'abc', bucketName: 'b', customData: null, errors: []};

describe('deliverWebhook', () => {
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	before(async () => {
		receiver = await startReceiver();
	});
	after(() => receiver.close());

	it('signs the raw body with HMAC-SHA512, or says no secret was given', () => {
		const body = '{"a":1}';
		assert.equal(webhookSignature(body, 's3cret'), `sha512=${crypto.createHmac('sha512', 's3cret').update(body).digest('hex')}`);
		assert.equal(webhookSignature(body, null), 'NO_SECRET_PROVIDED');
	});

	it('retries a receiver that answers 500 twice and delivers on the third attempt', async () => {
		const result = await deliverWebhook({url: `${receiver.url}/flaky/unit`, secret: null, payload: PAYLOAD, backoffMs: () => 50});
		assert.equal(result.delivered, true);
		assert.deepEqual(result.attempts.map((a) => a.status), [500, 500, 200]);
		const got = receiver.received.filter((r) => r.path === '/flaky/unit');
		assert.equal(got.length, 3);
		assert.equal(got[2]!.headers['x-remotion-status'], 'timeout');
		assert.equal(got[2]!.headers['x-remotion-signature'], 'NO_SECRET_PROVIDED');
	});

	it('gives up on a receiver that never answers after the timeout of each attempt', async () => {
		const startedAt = Date.now();
		const result = await deliverWebhook({url: `${receiver.url}/never/unit`, secret: null, payload: PAYLOAD, timeoutMs: 200, retries: 2, backoffMs: () => 10});
		assert.equal(result.delivered, false);
		assert.deepEqual(result.attempts.map((a) => a.error), Array(3).fill('no answer within 0.2 s'));
		assert.ok(Date.now() - startedAt < 2000);
	});
});

describe('the webhook notifier', () => {
	it('records a delivery that finally fails as a "webhook" error, and the render stays done', async () => {
		const receiver = await startReceiver();
		const backend = createLocalBackend({file: ':memory:', maxRenders: 1, chunkRetries: 0});
		const job = testJob({durationInFrames: 10, framesPerChunk: 10, webhook: {url: `${receiver.url}/never/notifier`, secret: 'k', customData: {order: 7}}});
		await backend.submitRender({id: 'hooked', owner: 'o', job, createdAt: Date.now()});
		await backend.claimTask('w/slot-0');
		await backend.completeChunk('hooked', 0, {busyMs: 1, bytes: 1});
		await backend.claimTask('w/slot-0');
		await backend.completeRender('hooked', {outKey: 'renders/hooked/out.mp4', outSize: 1});
		const progress = {bucket: 'b', outputFile: 'http://x/out.mp4', outKey: 'renders/hooked/out.mp4', timeToFinish: 5, costs: {accruedSoFar: 0, displayCost: '$0', currency: 'USD', disclaimer: ''}, errors: []} as unknown as RenderProgress;
		const notifier = startWebhookNotifier({backend, progressOf: async () => progress, delivery: {timeoutMs: 200, retries: 2, backoffMs: () => 10}});
		try {
			const render = await waitFor('the failed delivery to be recorded', async () => {
				const current = await backend.getRender('hooked');
				return current?.errors.some((e) => e.type === 'webhook') ? current : null;
			}, 10_000);
			assert.equal(render.status, 'done');
			const entry = render.errors.find((e) => e.type === 'webhook')!;
			assert.match(entry.message, /^The success webhook to http:\/\/127\.0\.0\.1:\d+\/never\/notifier was not delivered after 3 attempts: no answer within 0\.2 s$/);
			assert.equal(entry.isFatal, false);
			assert.equal(receiver.received.filter((r) => r.path === '/never/notifier').length, 3);
			assert.equal(await backend.claimWebhook(), null, 'each webhook is handed out once');
		} finally {
			await notifier.stop();
			await backend.close();
			receiver.close();
		}
	});
});

describe('webhooks from framefarm serve (real renders, a receiver on loopback)', () => {
	let dir: string;
	let server: ServeProcess;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	before(async () => {
		dir = makeTempDir();
		receiver = await startReceiver();
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_ALLOWED_WEBHOOK_HOSTS: '127.0.0.1', FRAMEFARM_CHUNK_RETRIES: '0'}});
	});
	after(async () => {
		await server.stop();
		receiver.close();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const submit = async (code: string, webhook: unknown) => {
		const response = await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 20, fps: 30}, width: 320, height: 180, framesPerChunk: 10, webhook});
		assert.equal(response.status, 202, JSON.stringify(response.body));
		return response.body.renderId as string;
	};
	const finished = (id: string) =>
		waitFor(`render ${id}`, async () => {
			const status = (await api(server, 'GET', `/api/render/${id}`)).body;
			return status.type === 'done' || status.type === 'error' ? {...status, at: Date.now()} : null;
		});

	it('sends exactly one signed success webhook per render, customData round-tripping; a 500-500-200 receiver gets it on the third attempt; a silent one does not delay done', async () => {
		const code = readExample('bare-body.txt');
		const customData = {userId: 'u-42', tags: ['a', 'b'], nested: {ok: true}};
		const ok = await submit(code, {url: `${receiver.url}/ok`, secret: WEBHOOK_SECRET, customData});
		const flaky = await submit(code, {url: `${receiver.url}/flaky/e2e`, secret: WEBHOOK_SECRET});
		const silent = await submit(code, {url: `${receiver.url}/never/e2e`, secret: null});

		const done = await Promise.all([finished(ok), finished(flaky), finished(silent)]);
		assert.deepEqual(done.map((d) => d.type), ['done', 'done', 'done']);
		const silentDoneAt = done[2]!.at;

		const toOk = await waitFor('the success webhook', async () => receiver.received.find((r) => r.path === '/ok') ?? null, 10_000);
		assert.ok(verify(toOk, WEBHOOK_SECRET), 'the signature verifies over the raw body');
		assert.equal(toOk.headers['x-remotion-status'], 'success');
		assert.equal(toOk.headers['content-type'], 'application/json');
		const payload = JSON.parse(toOk.body);
		assert.equal(payload.type, 'success');
		assert.equal(payload.renderId, ok);
		assert.equal(payload.bucketName, 'framefarm');
		assert.deepEqual(payload.customData, customData);
		assert.equal(payload.outputUrl, done[0]!.url);
		assert.equal(payload.outputFile, `renders/${ok}/out.mp4`);
		assert.equal(typeof payload.timeToFinish, 'number');
		assert.equal(typeof payload.costs.accruedSoFar, 'number');
		assert.deepEqual(payload.errors, []);
		assert.ok(Array.isArray(payload.lambdaErrors));

		await waitFor('the flaky receiver to get it', async () => (receiver.received.filter((r) => r.path === '/flaky/e2e').length >= 3 ? true : null), 15_000);
		const flakyLog = (await fetch(`${server.url}/api/render/${flaky}/log`, {headers: {authorization: `Bearer ${server.apiKey}`}}).then((r) => r.text())).split('\n');
		assert.equal(flakyLog.filter((line) => /webhook \(success\) attempt/.test(line)).length, 3);
		assert.ok(flakyLog.some((line) => /attempt 3 to .*answered 200/.test(line)));

		// The silent receiver holds its first attempt open for 5 s: done came before that ended.
		const silentFirst = receiver.received.find((r) => r.path === '/never/e2e');
		assert.ok(silentFirst, 'the silent receiver was called');
		assert.ok(silentFirst.at - silentDoneAt < 5000, 'done was reported while the delivery was still waiting');

		await new Promise((resolve) => setTimeout(resolve, 500));
		assert.equal(receiver.received.filter((r) => r.path === '/ok').length, 1, 'exactly one webhook per render');
	});

	it('sends an error webhook for a failed render', async () => {
		const failing = await submit("export default () => { if (useCurrentFrame() === 12) { throw new Error('boom at 12'); } return null; };", {url: `${receiver.url}/ok-error`, secret: WEBHOOK_SECRET});
		assert.equal((await finished(failing)).type, 'error');
		const hook = await waitFor('the error webhook', async () => receiver.received.find((r) => r.path === '/ok-error') ?? null, 10_000);
		assert.ok(verify(hook, WEBHOOK_SECRET));
		assert.equal(hook.headers['x-remotion-status'], 'error');
		const payload = JSON.parse(hook.body);
		assert.equal(payload.type, 'error');
		assert.match(payload.errors[0].message, /boom at 12/);
		assert.equal(payload.outputUrl, undefined);
	});

	it('refuses webhook targets on private addresses that are not listed, at submit time', async () => {
		for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest', 'http://localhost:9/hook', 'http://[::1]:9/hook']) {
			const response = await api(server, 'POST', '/api/render', {inputProps: {code: 'return null;', durationInFrames: 10, fps: 30}, webhook: {url}});
			assert.equal(response.status, 400, url);
			assert.match(response.body.error, /^webhook\.url (points at|host)/, url);
		}
	});
});
