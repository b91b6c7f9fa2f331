import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {waitForRender} from '../src/client/index.js';
import {probeVideo} from '../src/render/probe-video.js';
import {distributedEnv} from './distributed-farm.js';
import {deletePrefix} from './redis-helpers.js';
import {bundleSite} from '../src/render/bundle-site.js';
import {api, waitFor, makeTempDir, processTree, readExample, ROOT, runCli, sleep, startServe, startWorkerProcess, TEST_CACHE_DIR, type ServeProcess} from './helpers.js';
import {startS3Server} from './s3-server.js';

const BUCKET = 'framefarm-distributed';
const SMALL = {width: 320, height: 180};

describe('distributed: BullMQ on Redis, an S3-compatible bucket, an API server and two workers', () => {
	const prefix = `framefarm-test-${crypto.randomBytes(6).toString('hex')}`;
	let s3: Awaited<ReturnType<typeof startS3Server>>;
	let dir: string;
	let env: NodeJS.ProcessEnv;
	let server: ServeProcess;
	const workers: Awaited<ReturnType<typeof startWorkerProcess>>[] = [];
	const extraServers: ServeProcess[] = [];

	const workerCacheDir = () => path.join(dir, 'worker-cache');
	const workerEnv = () => ({...env, FRAMEFARM_CACHE_DIR: workerCacheDir()});
	const progressOf = async (via: ServeProcess, id: string) => (await api(via, 'GET', `/api/render/${id}/progress`)).body as RenderProgress;
	const logOf = async (id: string) => (await fetch(`${server.url}/api/render/${id}/log`, {headers: {authorization: 'Bearer distributed-key'}})).text();
	const waitDone = (id: string, via = () => server) =>
		waitFor(`render ${id}`, async () => {
			const status = (await api(via(), 'GET', `/api/render/${id}`)).body;
			assert.notEqual(status.type, 'error', JSON.stringify(status));
			return status.type === 'done' ? (status as {url: string; size: number}) : null;
		});
	const submit = async (via: ServeProcess, durationInFrames: number, framesPerChunk: number) =>
		(await api(via, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames, fps: 30}, framesPerChunk, ...SMALL})).body as {
			renderId: string;
			queuePosition: number;
		};

	before(async () => {
		s3 = await startS3Server(BUCKET);
		dir = makeTempDir();
		env = {
			...distributedEnv({prefix, bucket: BUCKET, s3Endpoint: s3.endpoint, apiKeys: 'distributed-key'}),
			FRAMEFARM_LOCK_MS: '3000',
			FRAMEFARM_MAX_RENDERS: '1',
		};
		server = await startServe({dataDir: path.join(dir, 'api-1'), env});
		assert.match(server.output(), /0 worker slots/);
		// The workers' cache dir holds the built-in site only: a deployed site reaches them from the bucket.
		const builtin = await bundleSite({cacheDir: TEST_CACHE_DIR});
		fs.cpSync(builtin, path.join(workerCacheDir(), path.basename(builtin)), {recursive: true});
		workers.push(await startWorkerProcess(workerEnv()), await startWorkerProcess(workerEnv()));
	});
	after(async () => {
		await Promise.all([...workers.map((worker) => worker.kill('SIGTERM')), server?.stop(), ...extraServers.map((s) => s.stop())]);
		await s3?.close();
		await deletePrefix(prefix);
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('renders 4 chunks across both workers into the bucket', async () => {
		const {renderId} = await submit(server, 40, 10);
		const {url, size} = await waitDone(renderId);
		const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
		assert.equal(bytes.length, size);
		const file = path.join(dir, 'distributed.mp4');
		fs.writeFileSync(file, bytes);
		assert.equal((await probeVideo(file)).video?.frames, 40);
		const log = await logOf(renderId);
		for (const worker of workers) {
			assert.match(log, new RegExp(`attempt 1 on ${worker.name}/slot-0`), `${worker.name} rendered a chunk:\n${log}`);
		}
	});

	it('finishes a render when a worker is killed with SIGKILL mid-chunk; the other renders that chunk again', async () => {
		const {renderId} = await submit(server, 120, 30);
		const [victim, survivor] = workers as [(typeof workers)[0], (typeof workers)[0]];
		const lost = await waitFor('the victim to be mid-chunk', async () => {
			const chunks = (await api(server, 'GET', `/api/render/${renderId}/progress`)).body as RenderProgress;
			assert.equal(chunks.fatalErrorEncountered, false);
			const match = new RegExp(`chunk (\\d+) \\(frames [\\d-]+\\): attempt 1 on ${victim.name}/`).exec(await logOf(renderId));
			return match && chunks.framesRendered > 0 ? Number(match[1]) : null;
		});
		await sleep(500);
		await victim.kill('SIGKILL');
		workers.splice(workers.indexOf(victim), 1);
		await waitDone(renderId);
		const progress = await progressOf(server, renderId);
		assert.equal(progress.fatalErrorEncountered, false);
		const lostEntry = progress.errors.find((error) => error.chunk === lost && error.willRetry);
		assert.ok(lostEntry, `errors hold the lost attempt of chunk ${lost}: ${JSON.stringify(progress.errors)}`);
		assert.equal(lostEntry.isFatal, false);
		assert.match(lostEntry.message, new RegExp(victim.name));
		const log = await logOf(renderId);
		assert.match(log, new RegExp(`chunk ${lost} \\(frames [\\d-]+\\): attempt 2 on ${survivor.name}/`), log);
	});

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		it(`hands back the chunk of a worker stopped with ${signal} (no attempt used, no error) and exits cleanly`, async () => {
			const extra = await startWorkerProcess(workerEnv());
			workers.push(extra);
			// Remotion sets up its own signal handling once a browser is up; a tab shows the browser is.
			await waitFor('the extra worker to open its browser', async () => (processTree(extra.child.pid!).some(({args}) => args.includes('--type=renderer')) ? true : null));
			const {renderId} = await submit(server, 60, 30);
			await waitFor('the extra worker to be mid-chunk', async () => {
				const log = await logOf(renderId);
				return new RegExp(`attempt 1 on ${extra.name}/`).test(log) ? true : null;
			});
			await extra.kill(signal);
			workers.splice(workers.indexOf(extra), 1);
			assert.equal(extra.child.exitCode, 0, `exit signal ${extra.child.signalCode}:\n${extra.output()}`);
			assert.match(extra.output(), /handing back the chunks in hand/);
			await waitDone(renderId);
			const progress = await progressOf(server, renderId);
			assert.deepEqual(progress.errors, [], 'nothing was lost');
			const log = await logOf(renderId);
			// Remotion closes its browsers on SIGTERM, and Ctrl-C stops the same way: the chunk in hand goes back to the queue.
			const handedBack = new RegExp(`chunk (\\d+): handed back by ${extra.name}/slot-0, which is stopping`).exec(log);
			assert.ok(handedBack, log);
			assert.match(log, new RegExp(`chunk ${handedBack[1]} \\(frames [\\d-]+\\): attempt 1 on (?!${extra.name})`), 'rendered by another worker, still as attempt 1');
		});
	}

	it('keeps answering polls through a restart of the API server, and the render completes', async () => {
		const {renderId} = await submit(server, 40, 10);
		await waitFor('rendering', async () => ((await progressOf(server, renderId)).framesRendered > 0 ? true : null));
		await server.stop();
		server = await startServe({dataDir: path.join(dir, 'api-1b'), env});
		const during = await progressOf(server, renderId);
		assert.equal(during.renderId, renderId);
		const {size} = await waitDone(renderId);
		assert.ok(size > 0);
	});

	it('agrees on queue positions whichever API server took the render', async () => {
		const second = await startServe({dataDir: path.join(dir, 'api-2'), env});
		extraServers.push(second);
		const running = await submit(server, 90, 30);
		await waitFor('the first render to start', async () => ((await progressOf(server, running.renderId)).queuePosition === null ? true : null));
		const a = await submit(server, 10, 10);
		const b = await submit(second, 10, 10);
		const c = await submit(server, 10, 10);
		assert.deepEqual([a.queuePosition, b.queuePosition, c.queuePosition], [1, 2, 3]);
		for (const via of [server, second]) {
			const positions = await Promise.all([a, b, c].map(async ({renderId}) => (await api(via, 'GET', `/api/render/${renderId}`)).body.queuePosition));
			assert.deepEqual(positions, [1, 2, 3]);
		}
		// The second API server streams a render the first one took, to the end.
		const seen: number[] = [];
		const finished = await waitForRender({serverUrl: second.url, apiKey: 'distributed-key', renderId: a.renderId, onProgress: (progress) => seen.push(progress.overallProgress)});
		assert.deepEqual(seen, [...seen].sort((x, y) => x - y), 'overallProgress never goes down');
		assert.equal(seen.at(-1), 1);
		const status = (await api(second, 'GET', `/api/render/${a.renderId}`)).body;
		assert.equal(finished.size, status.size);
		for (const {renderId} of [running, a, b, c]) {
			await waitDone(renderId, () => second);
		}
	});
	it('renders a site deployed from the CLI of another machine on both workers, which fetch it from the bucket', async () => {
		const entry = path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts');
		const deployed = await runCli(['sites', 'create', entry, '--site-name', 'remote-promo', '--server', server.url, '--api-key', 'distributed-key']);
		assert.equal(deployed.code, 0, deployed.stderr);
		const {hash} = (await api(server, 'GET', '/api/sites/remote-promo')).body as {hash: string};
		assert.ok(s3.files().some((file) => /sites\/[0-9a-f]+\/remote-promo\/site\.json/.test(file)), 'the site is in the S3 bucket');
		const submitted = await api(server, 'POST', '/api/render', {siteName: 'remote-promo', composition: 'Promo', inputProps: {title: 'Remote', seconds: 2}, framesPerChunk: 15});
		assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
		const {url} = await waitDone(submitted.body.renderId);
		const file = path.join(dir, 'remote-promo.mp4');
		fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
		const probe = await probeVideo(file);
		assert.deepEqual([probe.video?.frames, probe.video?.width, probe.video?.height], [60, 320, 180]);
		const log = await logOf(submitted.body.renderId);
		for (const worker of workers) {
			assert.match(log, new RegExp(`on ${worker.name}/slot-0`), `${worker.name} rendered a chunk:\n${log}`);
		}
		assert.ok(fs.existsSync(path.join(workerCacheDir(), `site-${hash}`, 'index.html')), 'the workers fetched the site into their cache');
	});
});
