import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import {api, makeTempDir, readExample, runCli, startServe, waitFor} from './helpers.js';
import {FAULTS, runFault, runS3GoneForGood, type FaultResult, type FarmFault} from './faults/farm-faults.js';
import {startRedisProcess, type RedisProcess} from './faults/redis-process.js';
import {killServeMidStitchAndWebhook} from './faults/embedded-kills.js';
import {framesOfOutput} from './faults/render-outcome.js';
import {mountSmallDisk} from './faults/small-disk.js';
import {startFarm, type Farm} from './faults/start-farm.js';
import {scrapeMetrics} from './scrape-metrics.js';

// The short cases of `npm run faults`: a farm on a Redis of its own, which the tests pause, kill
// and start again while a render runs on two workers.

const assertSurvived = (result: FaultResult, frames: number) => {
	const row = JSON.stringify(result, null, 1);
	assert.deepEqual(result.exited, [], `no framefarm process exits: ${row}`);
	assert.equal(result.outcome, `done, ${frames}/${frames} frames`, row);
	assert.equal(result.rendersLost, 0, row);
	assert.ok(result.queueOrderKept, `the renders queued behind start in their order: ${row}`);
	assert.equal(result.framesRedoneAfterDone, 0, `no finished chunk is rendered again: ${row}`);
	assert.notEqual(result.recoverSeconds, null, `the API answers again: ${row}`);
	assert.ok(result.recoverSeconds! < 10, `the API answers again within 10 s: ${row}`);
};

describe('Redis and S3 failures under a running render (distributed mode, two workers)', () => {
	let redis: RedisProcess;
	let farm: Farm;
	before(async () => {
		redis = await startRedisProcess();
		farm = await startFarm({redis});
	});
	after(async () => {
		await farm?.stop();
		await redis?.stop();
	});

	const cases: [FarmFault, boolean][] = [
		[FAULTS.redisPause(5), false],
		// Over in 2 s: a poll may be held across it (its Redis command waits for the reconnection) and see no 503.
		[FAULTS.redisRestart(2), false],
		// Longer than the job locks (5 s here): they expire while Redis is away.
		[FAULTS.redisRestart(12), true],
		[FAULTS.s3Gone(5), false],
	];
	it('/ready answers 503 naming Redis while it is down and the bucket while S3 is cut, 200 again once each is back', async () => {
		const ready = async (base = farm.server.url) => {
			const response = await fetch(`${base}/ready`);
			return {status: response.status, body: (await response.json()) as {ready: boolean; error?: string}};
		};
		const workerUrl = farm.workers[0]!.metricsUrl!;
		assert.deepEqual(await ready(), {status: 200, body: {ready: true}});
		// A worker is ready once its browser has launched (it answers 503 "No browser has launched yet" until then).
		await waitFor("the worker's /ready", async () => ((await ready(workerUrl)).status === 200 ? true : null), 60_000);
		assert.deepEqual(await ready(workerUrl), {status: 200, body: {ready: true}});
		const errorsBefore = (await scrapeMetrics(`${workerUrl}/metrics`)).value('framefarm_redis_errors_total', {operation: 'connection'});
		await redis.kill();
		try {
			for (const base of [farm.server.url, workerUrl]) {
				const down = await waitFor(`${base}/ready to refuse`, async () => {
					const answer = await ready(base);
					return answer.status === 503 ? answer : null;
				}, 30_000);
				assert.match(down.body.error ?? '', /Redis at 127\.0\.0\.1:\d+/);
			}
			assert.equal((await scrapeMetrics(`${workerUrl}/metrics`)).value('framefarm_ready'), 0, 'the gauge says so too');
		} finally {
			await redis.restart();
		}
		await waitFor('/ready to accept again', async () => ((await ready()).status === 200 ? true : null), 30_000);
		await waitFor("the worker's /ready to accept again", async () => ((await ready(workerUrl)).status === 200 ? true : null), 30_000);
		const scraped = await scrapeMetrics(`${workerUrl}/metrics`);
		assert.equal(scraped.value('framefarm_ready'), 1);
		const errorsAfter = scraped.value('framefarm_redis_errors_total', {operation: 'connection'});
		assert.ok(errorsAfter > errorsBefore, `the worker counted the lost connection (${errorsBefore} -> ${errorsAfter})`);
		await farm.s3.cut();
		try {
			const cut = await waitFor('/ready to refuse', async () => {
				const answer = await ready();
				return answer.status === 503 ? answer : null;
			}, 30_000);
			assert.match(cut.body.error ?? '', new RegExp(`The bucket ${farm.bucket} (did not answer|has not answered for 2 s)`));
		} finally {
			await farm.s3.restore();
		}
		await waitFor('/ready to accept again', async () => ((await ready()).status === 200 ? true : null), 60_000);
	});

	for (const [fault, refused] of cases) {
		it(`${fault.name}: the render completes, the API recovers by itself`, async () => {
			const result = await runFault(farm, fault, {frames: 120, framesPerChunk: 15});
			assertSurvived(result, 120);
			if (refused) {
				assert.match(result.apiDuringFault, /503 x\d+.*Redis at 127\.0\.0\.1:\d+ is unreachable/, 'the API answers 503 with a clear message while Redis is away');
			}
		});
	}
});

describe('the S3 endpoint gone for good', () => {
	it('fails the render within a bound, naming the bucket and endpoint; the workers render the next one when it is back', async () => {
		const redis = await startRedisProcess();
		const farm = await startFarm({redis, env: {FRAMEFARM_S3_RETRY: '4s'}});
		try {
			const result = await runS3GoneForGood(farm, {frames: 120, framesPerChunk: 15, boundMs: 60_000});
			const row = JSON.stringify(result, null, 1);
			assert.deepEqual(result.exited, [], row);
			assert.match(result.message, new RegExp(`The bucket ${farm.bucket} at ${farm.s3.url} did not answer an upload of renders/\\w+/(chunks|live)/`), row);
			// Two attempts, each rendering its chunk and then retrying the upload for 4 s; how long the
			// rendering takes depends on the machine (30.2 s in all was seen on a busy 2-core one).
			assert.ok(result.failedAfterSeconds < 50, row);
			assert.equal(result.rendersLost, 0, `the next render is done: ${row}`);
		} finally {
			await farm.stop();
			await redis.stop();
		}
	});
});

describe('a Redis that would lose renders', () => {
	it('is refused when it may evict keys, and warned of when it keeps nothing on disk', async () => {
		const evicting = await startRedisProcess({extraArgs: ['--maxmemory-policy', 'allkeys-lru']});
		const dataDir = makeTempDir();
		try {
			const env = {FRAMEFARM_REDIS_URL: evicting.url, FRAMEFARM_API_KEYS: 'durability-check-key', FRAMEFARM_S3_BUCKET: 'b', FRAMEFARM_S3_ENDPOINT: 'http://127.0.0.1:9', REMOTION_AWS_ACCESS_KEY_ID: 'a', REMOTION_AWS_SECRET_ACCESS_KEY: 'b'};
			const refused = await runCli(['serve', '--port', '0', '--data-dir', dataDir], {env});
			assert.equal(refused.code, 1);
			assert.match(refused.stderr, /Redis at 127\.0\.0\.1:\d+ has maxmemory-policy allkeys-lru: it may evict queued renders and job locks\. Set "maxmemory-policy noeviction"/);
			const worker = await runCli(['worker'], {env});
			assert.equal(worker.code, 1);
			assert.match(worker.stderr, /maxmemory-policy allkeys-lru/);
		} finally {
			await evicting.stop();
		}
		const volatile = await startRedisProcess({appendOnly: false});
		try {
			const env = {FRAMEFARM_REDIS_URL: volatile.url, FRAMEFARM_API_KEYS: 'durability-check-key', FRAMEFARM_S3_BUCKET: 'b', FRAMEFARM_S3_ENDPOINT: 'http://127.0.0.1:9', REMOTION_AWS_ACCESS_KEY_ID: 'a', REMOTION_AWS_SECRET_ACCESS_KEY: 'b'};
			const serve = await startServe({dataDir, env});
			await serve.stop();
			assert.match(serve.output(), /WARNING: Redis at 127\.0\.0\.1:\d+ runs without an append-only file \(appendonly no\): a restart of Redis loses every queued and running render/);
		} finally {
			await volatile.stop();
		}
	});
});

describe('framefarm serve (embedded) killed with SIGKILL while it stitches and while it holds a webhook', () => {
	it('completes the render after a restart and sends the webhook once', async () => {
		const result = await killServeMidStitchAndWebhook({frames: 600, framesPerChunk: 150});
		const summary = JSON.stringify({...result, log: undefined, payloads: result.payloads.map((p) => p.type)});
		assert.ok(result.killedWhileStitching, `the kill came while it stitched: ${summary}`);
		assert.match(result.log, /resumed after a restart: 4 of 4 chunks were already rendered and are kept/, result.log);
		assert.equal((result.log.match(/stitching on/g) ?? []).length, 2, `stitched again after the restart:\n${result.log}`);
		assert.equal(result.status, 'done', summary);
		assert.equal(result.frames, 600, summary);
		assert.equal(result.heldBeforeKill, 1, `the webhook was out when the server died: ${summary}`);
		assert.equal(result.answered, 1, `delivered once: ${summary}`);
		assert.equal(result.deliveries, 2, `sent again only because the first was cut short: ${summary}`);
		assert.ok(result.payloads.every((p) => p.type === 'success' && (p.customData as {order: number}).order === 1), summary);
	});
});

describe("framefarm serve (embedded) when its data dir's disk is full", () => {
	it('fails the render naming the path, serves nothing half-written, keeps earlier outputs and the database, and renders again once space is freed', async (t) => {
		if (process.getuid?.() !== 0) {
			t.skip('mounting a small tmpfs needs root (CI runs as root)');
			return;
		}
		const disk = mountSmallDisk(32);
		const dataDir = path.join(disk.dir, 'data');
		const env = {FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_API_KEYS: 'disk-key', FRAMEFARM_MIN_FREE_MB: '4'};
		let server = await startServe({dataDir, env});
		const render = async (width: number, height: number) => {
			const {renderId} = (await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 60, fps: 30}, width, height, framesPerChunk: 30})).body;
			const status = await waitFor(`render ${renderId}`, async () => {
				const {body} = await api(server, 'GET', `/api/render/${renderId}`);
				return body.type === 'done' || body.type === 'error' ? body : null;
			});
			return {renderId: renderId as string, ...(status as {type: string; url?: string; message?: string})};
		};
		try {
			const earlier = await render(320, 180);
			assert.equal(earlier.type, 'done', JSON.stringify(earlier));
			// The 4 MB kept for the database, and 64 KB more: no room for a chunk.
			disk.fill(4 * 1024 * 1024 + 64 * 1024);
			const full = await render(1920, 1080);
			assert.equal(full.type, 'error', JSON.stringify(full));
			assert.match(full.message ?? '', new RegExp(`No space left on the device of the bucket folder ${dataDir}/bucket: could not store renders/${full.renderId}/chunks/chunk-\\d+\\.(ts|wav) \\(\\d+ bytes, keeping 4 MB free for the state database: FRAMEFARM_MIN_FREE_MB\\)`));
			const leftovers = fs.readdirSync(path.join(dataDir, 'bucket'), {recursive: true}).map(String);
			assert.deepEqual(leftovers.filter((file) => file.includes('.partial-') || file.startsWith(`renders/${full.renderId}`) && file.endsWith('.mp4')), [], 'nothing half-written');
			const listing = await api(server, 'GET', `/files/renders/${full.renderId}/`);
			assert.ok(listing.status === 404 || !JSON.stringify(listing.body).includes('out.mp4'), 'no output served for the failed render');

			// Earlier outputs and the database are intact, across a restart too.
			await server.stop();
			server = await startServe({dataDir, env});
			const again = (await api(server, 'GET', `/api/render/${earlier.renderId}`)).body as {type: string; url: string};
			assert.equal(again.type, 'done');
			assert.equal(await framesOfOutput(again.url), 60);
			assert.equal((await api(server, 'GET', `/api/render/${full.renderId}`)).body.type, 'error');

			disk.free();
			const after = await render(1920, 1080);
			assert.equal(after.type, 'done', JSON.stringify(after));
			assert.equal(await framesOfOutput(after.url!), 60);
		} finally {
			await server.stop().catch(() => undefined);
			disk.unmount();
		}
	});
});
