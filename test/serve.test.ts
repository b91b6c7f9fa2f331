import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {progressResponseSchema, type RenderProgress} from '../src/progress/progress-schemas.js';
import {probeVideo} from '../src/render/probe-video.js';
import {RENDER_NICE} from '../src/worker/thread-priority.js';
import {playInBrowser} from './browser.js';
import {api, waitFor, killTree, makeTempDir, readExample, runCli, SCHED_IDLE, SCHED_OTHER, SCHED_RR, schedPolicy, sleep, startServe, type ServeProcess} from './helpers.js';

const SMALL = {width: 320, height: 180, framesPerChunk: 10};

/**
 * How a serve process's threads and browsers are scheduled, from /proc: its main thread, the
 * thread that started the browsers, and each browser's class and scheduling group (autogroup).
 */
const schedulingOf = (pid: number) => {
	const policyOf = (task: string) => schedPolicy(fs.readFileSync(`${task}/sched`, 'utf8'));
	const groupOf = (process: number) => fs.readFileSync(`/proc/${process}/autogroup`, 'utf8').trim().split(' ');
	const threads = fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
		const task = `/proc/${pid}/task/${tid}`;
		const children = fs.readFileSync(`${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
		// On Linux the priority of a thread id is that thread's.
		return {tid: Number(tid), nice: os.getPriority(Number(tid)), policy: policyOf(task), browsers: children.filter((child) => fs.readFileSync(`/proc/${child}/comm`, 'utf8').startsWith('chromium'))};
	});
	const renderThreads = threads.filter((thread) => thread.browsers.length > 0);
	assert.equal(renderThreads.length, 1, 'one thread starts the browsers');
	const [renderThread] = renderThreads;
	const main = threads.find(({tid}) => tid === pid)!;
	return {
		main: {nice: main.nice, policy: main.policy},
		renderThread: {nice: renderThread!.nice, policy: renderThread!.policy},
		browsers: renderThread!.browsers.map((browser) => {
			const [group, , groupNice] = groupOf(browser);
			return {policy: policyOf(`/proc/${browser}`), group, groupNice: Number(groupNice)};
		}),
		ownGroup: groupOf(pid)[0],
	};
};

describe('framefarm serve over a real port, rendering for real', () => {
	let dir: string;
	let server: ServeProcess;
	before(async () => {
		dir = makeTempDir();
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_MAX_RENDERS: '1', FRAMEFARM_CONCURRENCY: '2'}});
	});
	after(async () => {
		await server?.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('renders the reference POST /api/lambda/render request; both short routes reach done; the file is whole', async () => {
		const submitted = await api(server, 'POST', '/api/lambda/render', {
			inputProps: {code: readExample('title-card.tsx'), durationInFrames: 30, fps: 30},
		});
		assert.equal(submitted.status, 200);
		const {renderId, bucketName} = submitted.body as {renderId: string; bucketName: string};
		const seen = new Set<string>();
		const done = await waitFor('done', async () => {
			const [swiftia, app] = await Promise.all([
				api(server, 'GET', `/api/render/${renderId}`),
				api(server, 'POST', '/api/lambda/progress', {id: renderId, bucketName}),
			]);
			seen.add(swiftia.body.type);
			assert.notEqual(app.body.type, 'error', JSON.stringify(app.body));
			return swiftia.body.type === 'done' && app.body.type === 'done' ? {swiftia: swiftia.body, app: app.body} : null;
		});
		assert.deepEqual(done.app, done.swiftia);
		const {url, size} = done.swiftia as {url: string; size: number};
		const response = await fetch(url);
		const bytes = Buffer.from(await response.arrayBuffer());
		assert.equal(bytes.length, size, '`size` is the number of bytes served');
		const file = path.join(dir, 'lambda.mp4');
		fs.writeFileSync(file, bytes);
		const probe = await probeVideo(file);
		assert.equal(probe.video?.frames, 30);
		assert.equal(probe.video?.width, 1920);
		assert.equal(probe.video?.height, 1080);
		assert.ok(probe.audio !== null);
		const log = await fetch(`${server.url}/api/render/${renderId}/log`, {headers: {authorization: `Bearer ${server.apiKey}`}});
		// Planned for watching: a first chunk of 6 frames, its set-up in the room the even plan leaves.
		assert.match(await log.text(), /chunk 0 \(frames 0-5\): attempt 1 on .*slot-\d/);
	});

	it('puts its API before its renders: the API thread in the real-time class (root), the renders at the priority serve was started with', () => {
		const {main, renderThread, browsers, ownGroup} = schedulingOf(server.child.pid!);
		const started = {nice: os.getPriority(), policy: SCHED_OTHER};
		// Without root the API thread cannot be raised, and the renders go to the background instead.
		const root = process.getuid?.() === 0;
		assert.equal(main.policy, root ? SCHED_RR : SCHED_OTHER, 'the main thread answers the API');
		assert.deepEqual(renderThread, root ? started : {nice: RENDER_NICE, policy: SCHED_IDLE});
		assert.ok(browsers.length > 0, 'the slots\' browsers, warm since the render above');
		for (const browser of browsers) {
			assert.notEqual(browser.group, ownGroup, 'Remotion starts a browser in a session of its own');
			assert.deepEqual({policy: browser.policy, groupNice: browser.groupNice}, root ? {policy: SCHED_OTHER, groupNice: started.nice} : {policy: SCHED_IDLE, groupNice: RENDER_NICE});
		}
	});

	it('queues three renders submitted at once and takes each from queued through progress to done', async () => {
		const code = readExample('shapes-transitions.tsx');
		const submit = () => api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 40, fps: 30}, ...SMALL});
		const first = (await submit()).body.renderId as string;
		await waitFor('the first render to start', async () => ((await api(server, 'GET', `/api/render/${first}`)).body.type === 'queued' ? null : true));
		const second = await submit();
		const third = await submit();
		assert.equal(second.status, 202);
		assert.deepEqual([second.body.status, second.body.queuePosition], ['queued', 1]);
		assert.deepEqual([third.body.status, third.body.queuePosition], ['queued', 2]);
		assert.deepEqual((await api(server, 'GET', `/api/render/${third.body.renderId}`)).body, {type: 'queued', status: 'QUEUED', queuePosition: 2, progress: 0});

		// Follow the third render's whole progress object until it is done.
		const polls: RenderProgress[] = [];
		const types = new Set<string>();
		await waitFor('the third render', async () => {
			const [full, short] = await Promise.all([
				api(server, 'GET', `/api/render/${third.body.renderId}/progress`),
				api(server, 'GET', `/api/render/${third.body.renderId}`),
			]);
			polls.push(progressResponseSchema.strict().parse(full.body));
			types.add(short.body.type);
			return full.body.done ? true : null;
		});
		assert.deepEqual([...types], ['queued', 'progress', 'done']);
		const overall = polls.map((p) => p.overallProgress);
		assert.deepEqual(overall, [...overall].sort((a, b) => a - b), `overallProgress never decreases: ${overall.join(' ')}`);
		assert.ok(polls.some((p) => p.queuePosition !== null), 'seen while queued');
		assert.ok(polls.some((p) => p.queuePosition === null && !p.done && p.encodingStatus === null), 'seen while rendering');
		const last = polls.at(-1)!;
		assert.equal(last.overallProgress, 1);
		assert.equal(last.chunks, 4);
		assert.equal(last.mostExpensiveFrameRanges?.length, 4);
		assert.equal(typeof last.timeToFinish, 'number');
		assert.match(last.outputFile ?? '', new RegExp(`/files/renders/${third.body.renderId}/out\\.mp4\\?expires=\\d+&signature=[0-9a-f]{64}$`));
		// The signed URL needs no header: a <video> plays it, seeking with Range requests.
		const played = await playInBrowser(last.outputFile!);
		assert.equal(played.videoWidth, SMALL.width);
		assert.ok(played.currentTime > 0.3, `playback advanced to ${played.currentTime} s`);
		assert.ok(played.rangeRequests > 0, 'the player asked for byte ranges');
		for (const id of [first, second.body.renderId]) {
			assert.equal((await api(server, 'GET', `/api/render/${id}`)).body.type, 'done');
		}
		// Chunks are removed once the output is stitched; the live stream stays as long as the output.
		const folder = await api(server, 'GET', `/files/renders/${third.body.renderId}/`);
		assert.deepEqual(folder.body.dirs.map((dir: {name: string}) => dir.name), ['live']);
		assert.deepEqual(folder.body.files.map((file: {name: string}) => file.name), ['out.mp4']);
	});
	it('keeps what one render’s page stores from the renders after it on the same browsers', async () => {
		// Every chunk's page has the site server's origin: storage would outlive the render.
		const writer = `import {AbsoluteFill} from 'remotion';
export default function Writer() {
	localStorage.setItem('left-by', 'an earlier render');
	document.cookie = 'left-by=an-earlier-render; max-age=3600';
	return <AbsoluteFill style={{background: 'red'}} />;
}`;
		const reader = `import {AbsoluteFill} from 'remotion';
export default function Reader() {
	const left = [localStorage.getItem('left-by'), document.cookie].filter(Boolean).join('; ');
	if (left) {
		throw new Error('found what an earlier render stored: ' + left);
	}
	return <AbsoluteFill style={{background: 'green'}} />;
}`;
		const renderToEnd = async (code: string) => {
			// Two chunks of 10: one on each of the two slots' browsers.
			const id = (await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 20, fps: 30}, ...SMALL})).body.renderId as string;
			return waitFor(`render ${id}`, async () => {
				const {body} = await api(server, 'GET', `/api/render/${id}`);
				return body.type === 'done' || body.type === 'error' ? {...body, renderId: id} : null;
			});
		};
		assert.equal((await renderToEnd(writer)).type, 'done');
		const read = await renderToEnd(reader);
		assert.equal(read.type, 'done', JSON.stringify(read));
		// A chunk that failed on a browser the writer used and passed on a retry would not show above.
		const {errors} = (await api(server, 'GET', `/api/render/${read.renderId ?? ''}/progress`)).body as RenderProgress;
		assert.deepEqual(errors, []);
	});

	it('cancels a running render: its chunks stop, its files go, the next render runs', async () => {
		const code = readExample('title-card.tsx');
		const long = (await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 300, fps: 30}, ...SMALL})).body.renderId as string;
		await waitFor('frames to render', async () => (((await api(server, 'GET', `/api/render/${long}/progress`)).body as RenderProgress).chunks >= 1 ? true : null));
		const cancelled = await api(server, 'DELETE', `/api/render/${long}`);
		assert.equal(cancelled.status, 200);
		assert.deepEqual(cancelled.body, {type: 'error', message: 'cancelled'});
		const startedAt = Date.now();
		const next = (await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 10, fps: 30}, ...SMALL})).body.renderId as string;
		await waitFor('the next render', async () => ((await api(server, 'GET', `/api/render/${next}`)).body.type === 'done' ? true : null));
		assert.ok(Date.now() - startedAt < 30_000, 'the cancelled render did not hold the slots');
		const progress = (await api(server, 'GET', `/api/render/${long}/progress`)).body as RenderProgress;
		assert.ok(progress.chunks < 30, 'the cancelled render stopped rendering');
		assert.equal(progress.fatalErrorEncountered, true);
		await waitFor('chunk files to be removed', async () => {
			const listing = await api(server, 'GET', `/files/renders/${long}/`);
			return listing.status === 404 || listing.body.dirs.length === 0 ? true : null;
		}, 10_000);
	});
});

describe('framefarm serve with FRAMEFARM_RENDER_PRIORITY=background', () => {
	it('renders in the idle class at nice 19, its browsers and their scheduling groups too', async () => {
		const dir = makeTempDir();
		const server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_RENDER_PRIORITY: 'background', FRAMEFARM_CONCURRENCY: '1'}});
		try {
			const submitted = await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 10, fps: 30}, ...SMALL});
			await waitFor('the render to finish', async () => ((await api(server, 'GET', `/api/render/${submitted.body.renderId}`)).body.type === 'done' ? true : null));
			const {renderThread, browsers} = schedulingOf(server.child.pid!);
			assert.deepEqual(renderThread, {nice: RENDER_NICE, policy: SCHED_IDLE});
			assert.ok(browsers.length > 0);
			for (const browser of browsers) {
				assert.deepEqual({policy: browser.policy, groupNice: browser.groupNice}, {policy: SCHED_IDLE, groupNice: RENDER_NICE});
			}
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('the CLI as a client of a running server', () => {
	it('renders with --server and prints the progress object with progress', async () => {
		const dir = makeTempDir();
		// Two slots, so the failing render below is two chunks of 5 whatever the machine's cores.
		const server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_CONCURRENCY: '2'}});
		try {
			const out = path.join(dir, 'remote.mp4');
			const client = ['--server', server.url, '--api-key', server.apiKey];
			const result = await runCli(['render', '-', '--duration-in-frames', '20', '--width', '320', '--height', '180', '--frames-per-chunk', '10', '--out', out, ...client], {
				stdin: readExample('bare-body.txt'),
			});
			assert.equal(result.code, 0, result.stderr);
			// Polled twice a second, so it may skip steps; it always shows rendering and the end.
			assert.match(result.stderr, /Rendering .*\/20 frames/);
			assert.match(result.stderr, /Stitching .*100% 20\/20 frames/);
			assert.equal((await probeVideo(out)).video?.frames, 20);
			assert.match(result.stdout, new RegExp(`\\(${fs.statSync(out).size} bytes\\)`));

			const list = await api(server, 'GET', '/api/renders');
			const renderId = list.body.renders[0].renderId as string;
			const progress = await runCli(['progress', renderId, ...client]);
			assert.equal(progress.code, 0, progress.stderr);
			const parsed = progressResponseSchema.strict().parse(JSON.parse(progress.stdout));
			assert.equal(parsed.done, true);

			const failing = await runCli(['render', '-', '--duration-in-frames', '10', '--width', '320', '--height', '180', '--out', path.join(dir, 'never.mp4'), ...client], {
				stdin: "export default () => { if (useCurrentFrame() === 5) { throw new Error('no frame 5'); } return null; };",
			});
			assert.equal(failing.code, 1, `${failing.stdout}\n${failing.stderr}`);
			// Frame 5 is chunk 1's first, and chunk 0 evaluates it too, for its audio (the render has a live stream): either may fail first.
			assert.match(failing.stderr, /Error: Render [a-z0-9]+ failed: Chunk [01] failed at frame 5 on attempt 2 of 2: .*no frame 5/);
			assert.doesNotMatch(failing.stderr, /    at /, 'a sentence, not a stack trace');

			const missing = await runCli(['progress', 'nosuchrender', ...client]);
			assert.equal(missing.code, 1);
			assert.match(missing.stderr, /Render nosuchrender was not found/);
			const badKey = await runCli(['progress', renderId, '--server', server.url, '--api-key', 'wrong']);
			assert.match(badKey.stderr, /Missing or invalid API key/);
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('framefarm serve killed with SIGKILL mid-render', () => {
	it('finishes every render after a restart without rendering finished chunks again', async () => {
		const dir = makeTempDir();
		const dataDir = path.join(dir, 'data');
		const env = {FRAMEFARM_CONCURRENCY: '1', FRAMEFARM_API_KEYS: 'restart-key'};
		let server = await startServe({dataDir, env});
		try {
			const code = readExample('title-card.tsx');
			const running = (await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 60, fps: 30}, ...SMALL})).body.renderId as string;
			const queued = (await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 20, fps: 30}, ...SMALL})).body.renderId as string;
			await waitFor('two finished chunks', async () => {
				const progress = (await api(server, 'GET', `/api/render/${running}/progress`)).body as RenderProgress;
				return progress.chunks >= 2 ? true : null;
			});
			const exited = new Promise((resolve) => server.child.once('exit', resolve));
			killTree(server.child.pid!);
			await exited;

			server = await startServe({dataDir, env});
			for (const id of [running, queued]) {
				await waitFor(`render ${id}`, async () => {
					const status = (await api(server, 'GET', `/api/render/${id}`)).body;
					assert.notEqual(status.type, 'error', JSON.stringify(status));
					return status.type === 'done' ? true : null;
				});
			}
			const response = await fetch(`${server.url}/api/render/${running}/log`, {headers: {authorization: 'Bearer restart-key'}});
			const log = (await response.text()).trim().split('\n');
			const resumedAt = log.findIndex((line) => /resumed after a restart/.test(line));
			assert.ok(resumedAt > 0, log.join('\n'));
			const kept = /chunks were already rendered and are kept \(([\d, ]+)\)/.exec(log[resumedAt]!)?.[1]?.split(', ').map(Number) ?? [];
			assert.ok(kept.length >= 2, log[resumedAt]);
			for (const chunk of kept) {
				const again = log.slice(resumedAt).filter((line) => new RegExp(`chunk ${chunk} \\(frames`).test(line));
				assert.deepEqual(again, [], `chunk ${chunk} was not rendered again`);
			}
			const status = (await api(server, 'GET', `/api/render/${running}`)).body as {url: string; size: number};
			const file = path.join(dir, 'resumed.mp4');
			fs.writeFileSync(file, Buffer.from(await (await fetch(status.url)).arrayBuffer()));
			assert.equal((await probeVideo(file)).video?.frames, 60);
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('a component that loops forever, eats memory or is too slow', () => {
	it('fails its render at the chunk timeout, the memory limit or the render timeout, and the farm keeps serving', async () => {
		const dir = makeTempDir();
		const server = await startServe({
			dataDir: path.join(dir, 'data'),
			env: {FRAMEFARM_CHUNK_TIMEOUT_MS: '8000', FRAMEFARM_RENDER_TIMEOUT_MS: '10000', FRAMEFARM_BROWSER_MEMORY_MB: '700', FRAMEFARM_CHUNK_RETRIES: '0', FRAMEFARM_CONCURRENCY: '1'},
		});
		try {
			const looping = "export default () => { const frame = useCurrentFrame(); if (frame === 5) { while (true) {} } return <AbsoluteFill style={{background: 'teal'}} />; };";
			const startedAt = Date.now();
			const stuck = (await api(server, 'POST', '/api/render', {inputProps: {code: looping, durationInFrames: 20, fps: 30}, width: 320, height: 180})).body.renderId as string;
			const failed = await waitFor('the looping render to fail', async () => {
				const status = (await api(server, 'GET', `/api/render/${stuck}`)).body;
				return status.type === 'error' ? (status as {message: string}) : null;
			}, 30_000);
			assert.ok(Date.now() - startedAt < 20_000, `failed after ${Date.now() - startedAt} ms`);
			assert.match(failed.message, /^Chunk 0 failed at frame 5 on attempt 1 of 1: The page stopped responding: .*within 8s .*endless loop/);

			// 1.2 GB of typed arrays at frame 3, held while the frame spins. Filling them took 3 s on
			// these machines; the browser's memory is looked at every 2 s, well before the chunk's 8 s.
			const hungry =
				'export default () => { const frame = useCurrentFrame(); if (frame === 3) { const hog = []; for (let i = 0; i < 12; i++) { hog.push(new Uint8Array(100 * 1024 * 1024).fill(i + 1)); } while (hog.length > 0) {} } return <AbsoluteFill style={{background: "teal"}} />; };';
			const hog = (await api(server, 'POST', '/api/render', {inputProps: {code: hungry, durationInFrames: 20, fps: 30}, width: 320, height: 180})).body.renderId as string;
			const stopped = await waitFor('the memory-hungry render to fail', async () => {
				const status = (await api(server, 'GET', `/api/render/${hog}`)).body;
				return status.type === 'error' ? (status as {message: string}) : null;
			}, 30_000);
			assert.match(stopped.message, /^Chunk 0 failed at frame 3 on attempt 1 of 1: The browser used \d+ MB, more than the 700 MB it may \(FRAMEFARM_BROWSER_MEMORY_MB\)/);

			// 600 ms a frame: each 4-frame chunk is within the chunk timeout, the 20 frames are not within the render's.
			const slow = 'export default () => { const frame = useCurrentFrame(); const until = Date.now() + 600; while (Date.now() < until) {} return <AbsoluteFill style={{background: "navy", opacity: frame / 20}} />; };';
			const slowStart = Date.now();
			const late = (await api(server, 'POST', '/api/render', {inputProps: {code: slow, durationInFrames: 20, fps: 30}, width: 320, height: 180, framesPerChunk: 4})).body.renderId as string;
			const timedOut = await waitFor('the slow render to time out', async () => {
				const status = (await api(server, 'GET', `/api/render/${late}`)).body;
				return status.type === 'error' ? (status as {message: string}) : null;
			}, 30_000);
			assert.match(timedOut.message, /^Chunk ([1-4]) failed on attempt 1 of 1: The render did not finish within 10 s \(FRAMEFARM_RENDER_TIMEOUT_MS\); it was stopped at chunk \1$/);
			assert.ok(Date.now() - slowStart < 20_000, `timed out after ${Date.now() - slowStart} ms`);
			const next = (await api(server, 'POST', '/api/render', {inputProps: {code: readExample('title-card.tsx'), durationInFrames: 10, fps: 30}, width: 320, height: 180})).body.renderId as string;
			await waitFor('the next render', async () => ((await api(server, 'GET', `/api/render/${next}`)).body.type === 'done' ? true : null), 60_000);
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('chunk files after 21 renders that succeed, fail and are cancelled', () => {
	it('leaves none in the bucket', async () => {
		const dir = makeTempDir();
		const dataDir = path.join(dir, 'data');
		const server = await startServe({dataDir, env: {FRAMEFARM_MAX_RENDERS: '2', FRAMEFARM_CHUNK_RETRIES: '0'}});
		try {
			const ok = readExample('bare-body.txt');
			const failing = "export default () => { if (useCurrentFrame() === 12) { throw new Error('fails at 12'); } return null; };";
			const submit = async (code: string) =>
				(await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames: 30, fps: 30}, width: 320, height: 180, framesPerChunk: 10})).body.renderId as string;
			const ids = {ok: [] as string[], failing: [] as string[], cancelled: [] as string[]};
			for (let i = 0; i < 7; i++) {
				ids.ok.push(await submit(ok));
				ids.failing.push(await submit(failing));
				const cancelled = await submit(ok);
				ids.cancelled.push(cancelled);
				await waitFor('a chunk of the render to be cancelled', async () => {
					const progress = (await api(server, 'GET', `/api/render/${cancelled}/progress`)).body as RenderProgress;
					return progress.chunks >= 1 || progress.done || progress.fatalErrorEncountered ? true : null;
				});
				await api(server, 'DELETE', `/api/render/${cancelled}`);
			}
			const all = [...ids.ok, ...ids.failing, ...ids.cancelled];
			await waitFor('every render to finish', async () => {
				const types = await Promise.all(all.map(async (id) => (await api(server, 'GET', `/api/render/${id}`)).body.type as string));
				return types.every((type) => type === 'done' || type === 'error') ? true : null;
			});
			for (const id of ids.ok) {
				assert.equal((await api(server, 'GET', `/api/render/${id}`)).body.type, 'done');
			}
			for (const id of ids.failing) {
				assert.match((await api(server, 'GET', `/api/render/${id}`)).body.message, /fails at 12/);
			}
			// Chunk files go when a render is stitched, fails or is cancelled; only outputs stay.
			const left = await waitFor('chunk files to be removed', async () => {
				const files = fs.readdirSync(path.join(dataDir, 'bucket'), {recursive: true}).map(String);
				return files.some((file) => file.includes('chunks')) ? null : files;
			}, 10_000);
			assert.deepEqual(left.filter((file) => file.endsWith('.mp4')).sort(), ids.ok.map((id) => path.join('renders', id, 'out.mp4')).sort());
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('retention', () => {
	it('removes finished renders and their files after FRAMEFARM_RETENTION', async () => {
		const dir = makeTempDir();
		const dataDir = path.join(dir, 'data');
		const server = await startServe({dataDir, env: {FRAMEFARM_RETENTION: '3s'}});
		try {
			const id = (await api(server, 'POST', '/api/render', {inputProps: {code: readExample('bare-body.txt'), durationInFrames: 10, fps: 30}, width: 320, height: 180})).body.renderId as string;
			const done = await waitFor('the render', async () => {
				const status = (await api(server, 'GET', `/api/render/${id}`)).body;
				return status.type === 'done' ? (status as {url: string}) : null;
			});
			const finishedAt = Date.now();
			assert.equal((await fetch(done.url)).status, 200);
			assert.ok(fs.existsSync(path.join(dataDir, 'bucket', 'renders', id)));

			const gone = await waitFor('the render to expire', async () => ((await api(server, 'GET', `/api/render/${id}`)).status === 404 ? Date.now() : null), 15_000);
			assert.ok(gone - finishedAt >= 2000, `kept for ${gone - finishedAt} ms`);
			assert.ok(!fs.existsSync(path.join(dataDir, 'bucket', 'renders', id)), 'its files are gone');
			assert.equal((await fetch(done.url)).status, 404);
			assert.match(server.output(), /retention: removed 1 render\(s\) finished more than 3 s ago/);
			const list = (await api(server, 'GET', '/api/renders')).body as {renders: unknown[]};
			assert.equal(list.renders.length, 0);
		} finally {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});
