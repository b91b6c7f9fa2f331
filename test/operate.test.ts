import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {api, makeTempDir, readExample, startServe, waitFor, type ServeProcess} from './helpers.js';
import {scrapeMetrics, type Scrape} from './scrape-metrics.js';
import {testWebhookSecret} from './suite-logs.js';

const TOKEN = 'metrics-token-for-operate-test';

/** Counters and histogram counts that a render moves, read from one scrape. */
const figures = (scrape: Scrape) => ({
	submitted: scrape.value('framefarm_renders_submitted_total'),
	done: scrape.value('framefarm_renders_finished_total', {status: 'done'}),
	failed: scrape.value('framefarm_renders_finished_total', {status: 'error'}),
	cancelled: scrape.value('framefarm_renders_finished_total', {status: 'cancelled'}),
	queueWaits: scrape.histogram('framefarm_render_queue_wait_seconds').count,
	renderDurations: scrape.histogram('framefarm_render_duration_seconds').count,
	frames: scrape.value('framefarm_frames_rendered_total'),
	attempts: scrape.value('framefarm_chunk_attempts_total'),
	chunkFailures: scrape.value('framefarm_chunk_failures_total'),
	retries: scrape.value('framefarm_chunk_retries_total'),
	lost: scrape.value('framefarm_chunks_lost_total'),
	chunkDurations: scrape.histogram('framefarm_chunk_duration_seconds').count,
	setUps: scrape.histogram('framefarm_chunk_setup_seconds').count,
	stitches: scrape.histogram('framefarm_stitch_duration_seconds').count,
	delivered: scrape.value('framefarm_webhook_deliveries_total', {outcome: 'delivered'}),
	undelivered: scrape.value('framefarm_webhook_deliveries_total', {outcome: 'failed'}),
	submits: scrape.value('framefarm_http_requests_total', {method: 'POST', route: '/api/render', status_code: '202'}),
});

const difference = (before: ReturnType<typeof figures>, after: ReturnType<typeof figures>) =>
	Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - before[name as keyof typeof before]]));

describe('operating framefarm serve: /metrics, /ready and JSON logs', () => {
	let dir: string;
	let server: ServeProcess;
	let hooks: http.Server;
	let hookUrl: string;
	const received: string[] = [];
	before(async () => {
		dir = makeTempDir();
		hooks = http.createServer((request, response) => {
			request.resume();
			request.on('end', () => {
				received.push(request.url ?? '');
				response.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
		hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
		server = await startServe({
			dataDir: path.join(dir, 'data'),
			env: {FRAMEFARM_METRICS_TOKEN: TOKEN, FRAMEFARM_ALLOWED_WEBHOOK_HOSTS: '127.0.0.1', FRAMEFARM_CHUNK_RETRIES: '1', FRAMEFARM_CONCURRENCY: '2'},
		});
	});
	after(async () => {
		await server?.stop();
		hooks?.close();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const metricsUrl = () => `${server.url}/metrics`;
	const secret = testWebhookSecret();
	let renders: {done: string; failed: string};

	it('asks for the metrics token when one is set, in a JSON error every client reads', async () => {
		const refused: Record<string, string>[] = [{}, {authorization: 'Bearer wrong-token'}, {authorization: `Bearer ${server.apiKey}`}];
		for (const headers of refused) {
			const response = await fetch(metricsUrl(), {headers});
			assert.equal(response.status, 401);
			const body = (await response.json()) as {error: string; code: string};
			assert.equal(body.code, 'invalid_metrics_token');
			assert.match(body.error, /FRAMEFARM_METRICS_TOKEN/);
		}
		assert.deepEqual(await (await fetch(`${server.url}/ready`)).json(), {ready: true});
	});

	it('moves the counters and histograms by exactly one render that succeeds and one that fails', async () => {
		const before = await scrapeMetrics(metricsUrl(), TOKEN);
		assert.equal(before.value('framefarm_worker_slots', {state: 'idle'}), 2);
		const submit = async (code: string, durationInFrames: number, hook: string) => {
			const response = await api(server, 'POST', '/api/render', {
				inputProps: {code, durationInFrames, fps: 30},
				width: 320,
				height: 180,
				framesPerChunk: 20,
				webhook: {url: `${hookUrl}/${hook}`, secret, customData: null},
			});
			assert.equal(response.status, 202, JSON.stringify(response.body));
			return response.body.renderId as string;
		};
		const settled = (id: string) =>
			waitFor(`render ${id}`, async () => {
				const {body} = await api(server, 'GET', `/api/render/${id}`);
				return body.type === 'done' || body.type === 'error' ? (body.type as string) : null;
			});
		const startedAt = Date.now();
		const done = await submit(readExample('bare-body.txt'), 60, 'done');
		assert.equal(await settled(done), 'done');
		const wall = (Date.now() - startedAt) / 1000;
		// Fails on its first frame, so no attempt of it reaches a first frame (the set-up histogram).
		const failed = await submit("export default () => { if (useCurrentFrame() === 0) { throw new Error('broken at the start'); } return null; };", 20, 'failed');
		assert.equal(await settled(failed), 'error');
		renders = {done, failed};

		// Webhooks are counted once their delivery ends, just after the receiver has them.
		const after = await waitFor('both webhooks counted', async () => {
			const scrape = await scrapeMetrics(metricsUrl(), TOKEN);
			return scrape.value('framefarm_webhook_deliveries_total', {outcome: 'delivered'}) - before.value('framefarm_webhook_deliveries_total', {outcome: 'delivered'}) >= 2 ? scrape : null;
		}, 30_000);
		assert.deepEqual(received.sort(), ['/done', '/failed']);
		assert.deepEqual(difference(figures(before), figures(after)), {
			submitted: 2,
			done: 1,
			failed: 1,
			cancelled: 0,
			queueWaits: 2,
			renderDurations: 1,
			frames: 60,
			// Three chunks of the first, and the one chunk of the second twice (one retry).
			attempts: 5,
			chunkFailures: 2,
			retries: 1,
			lost: 0,
			chunkDurations: 3,
			setUps: 3,
			stitches: 1,
			delivered: 2,
			undelivered: 0,
			submits: 2,
		});
		const duration = after.histogram('framefarm_render_duration_seconds').sum - before.histogram('framefarm_render_duration_seconds').sum;
		assert.ok(duration > 0 && duration <= wall + 0.5, `the render's duration ${duration} s is within the ${wall} s the test waited`);
		assert.equal(after.value('framefarm_renders', {state: 'queued'}), 0);
		assert.equal(after.value('framefarm_renders', {state: 'running'}), 0);
		assert.equal(after.value('framefarm_worker_slots', {state: 'busy'}), 0);
		assert.equal(after.value('framefarm_worker_slots', {state: 'idle'}), 2);
		assert.equal(after.value('framefarm_ready'), 1);
		assert.ok(after.names().includes('process_cpu_seconds_total'), 'the process metrics are there too');
		// Bounded label sets: route patterns, never a render id or a key.
		assert.ok(after.text.includes('route="/api/render/:renderId"'), 'progress polls are counted by their pattern');
		for (const unbounded of [done, failed, server.apiKey]) {
			assert.ok(!after.text.includes(unbounded), `${unbounded} is not in any label`);
		}
	});

	it('logs JSON lines with the render, chunk, attempt and worker, and never a key or secret', async () => {
		const lines = server
			.output()
			.split('\n')
			.filter((line) => line.trim() !== '');
		const records = lines.map((line) => {
			try {
				return JSON.parse(line) as Record<string, unknown>;
			} catch {
				assert.fail(`not a JSON line: ${line}`);
			}
		});
		const chunksDone = records.filter((record) => record.msg === 'chunk done' && record.renderId === renders.done);
		assert.deepEqual(chunksDone.map((record) => record.chunk).sort(), [0, 1, 2]);
		for (const record of chunksDone) {
			assert.equal(record.attempt, 1);
			assert.match(String(record.worker), /\/slot-\d$/);
			assert.equal(record.frames, 20);
			assert.equal(typeof record.level, 'number');
			assert.equal(typeof record.time, 'number');
		}
		const retried = records.find((record) => record.msg === 'chunk failed, retrying' && record.renderId === renders.failed);
		assert.equal(retried?.chunk, 0);
		assert.equal(retried?.attempt, 1);
		assert.match(String(retried?.error), /broken at the start/);
		assert.ok(records.some((record) => record.msg === 'render failed' && record.renderId === renders.failed));
		assert.ok(records.some((record) => record.msg === 'render done' && record.renderId === renders.done));
		assert.ok(records.some((record) => typeof record.msg === 'string' && record.msg.startsWith('framefarm is listening on')));
		const text = server.output();
		for (const secretValue of [server.apiKey, secret, TOKEN]) {
			assert.ok(!text.includes(secretValue), 'no key, token or webhook secret in the log');
		}
	});
});
