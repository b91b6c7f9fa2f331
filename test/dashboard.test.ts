import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import {launchBrowser} from './browser.js';
import {api, makeTempDir, ROOT, runCli, startServe, waitFor, type ServeProcess} from './helpers.js';
import {PNG} from './png.js';

// The dashboard at / of a real `framefarm serve`, driven in Debian's Chromium as a person would:
// signing in, the playground, the renders list, a render's page. Each page is photographed at
// desktop and phone width into test-output/screenshots/ (gitignored).

const KEY = 'dashboard-key';
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const DESKTOP = {width: 1366, height: 900};
const PHONE = {width: 390, height: 844};

// A solid color the preview's pixels are compared against.
const SOLID = `import {AbsoluteFill} from 'remotion';
export const Solid = () => <AbsoluteFill style={{backgroundColor: 'rgb(255, 0, 0)'}} />;`;

const moving = (extra = '') => `import {AbsoluteFill, interpolate, useCurrentFrame} from 'remotion';
export const Moving = () => {
  const frame = useCurrentFrame();
  ${extra}
  const x = interpolate(frame, [0, 60], [0, 200]);
  return <AbsoluteFill style={{backgroundColor: '#123456'}}><div style={{width: 40, height: 40, background: 'orange', transform: \`translateX(\${x}px)\`}} /></AbsoluteFill>;
};`;

describe('the dashboard in a real browser', () => {
	let dir: string;
	let server: ServeProcess;
	let browser: Browser;
	let page: Page;

	const submit = async (code: string, durationInFrames: number, framesPerChunk = 15) =>
		(await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames, fps: 30}, width: 320, height: 180, framesPerChunk})).body as {renderId: string};
	const statusOf = async (renderId: string) => ((await api(server, 'GET', `/api/render/${renderId}`)).body as {type: string}).type;

	/** Desktop and phone pictures of what the page shows now. */
	const photograph = async (name: string) => {
		for (const [width, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
			await page.setViewportSize(size);
			await page.screenshot({path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true});
		}
		await page.setViewportSize(DESKTOP);
	};

	before(async () => {
		dir = makeTempDir();
		fs.mkdirSync(SHOTS, {recursive: true});
		// One render at a time on two slots: renders queue, and chunks spread over both slots.
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: KEY, FRAMEFARM_MAX_RENDERS: '1', FRAMEFARM_CONCURRENCY: '2'}});
		browser = await launchBrowser();
		page = await browser.newPage({viewport: DESKTOP});
	});
	after(async () => {
		await browser?.close();
		await server?.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('signs in with a key, and refuses a wrong one with a message', async () => {
		await page.goto(server.url);
		await page.getByLabel('API key').fill('not-the-key');
		await page.getByRole('button', {name: 'Sign in'}).click();
		await page.getByRole('alert').filter({hasText: 'This API key was refused'}).waitFor();
		await photograph('sign-in');
		await page.getByLabel('API key').fill(KEY);
		await page.getByRole('button', {name: 'Sign in'}).click();
		await page.getByRole('heading', {name: 'Renders'}).waitFor();
		assert.equal(await page.evaluate(() => window.localStorage.getItem('framefarm.apiKey')), KEY);
	});

	it('playground: previews the code in the Player, shows where it does not compile, renders it and plays the video', async () => {
		await page.goto(`${server.url}/#/playground`);
		const editor = page.locator('.cm-content');
		await editor.waitFor();
		await editor.click();
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Delete');
		await editor.fill(SOLID);
		// The preview shows the component: a pixel in the middle of the Player is the red it paints.
		const player = page.locator('.player');
		await waitFor('the preview to paint red', async () => {
			const shot = await player.screenshot().catch(() => null);
			if (shot === null) {
				return null;
			}
			const [r, g, b] = PNG.pixel(shot, 0.5, 0.4);
			return r > 230 && g < 30 && b < 30 ? true : null;
		}, 30_000);

		await editor.fill(`import {AbsoluteFill} from 'remotion';\nexport const Broken = () => {\n  return <AbsoluteFill>{</AbsoluteFill>;\n};`);
		const compileError = page.locator('.compile-error');
		await compileError.waitFor();
		assert.match(await compileError.innerText(), /\(line 3, column \d+\)/);
		await page.locator('.cm-lintRange-error').waitFor();
		await photograph('playground-compile-error');

		// A component that throws while it plays: the message and the frame.
		await editor.fill(`import {AbsoluteFill, useCurrentFrame} from 'remotion';\nexport const Throws = () => {\n  if (useCurrentFrame() === 0) { throw new Error('Runtime boom'); }\n  return <AbsoluteFill />;\n};`);
		const runtimeError = page.locator('.runtime-error');
		await runtimeError.waitFor({timeout: 30_000});
		assert.match(await runtimeError.innerText(), /^Runtime error at frame 0: Runtime boom/);

		await editor.fill(moving());
		await compileError.waitFor({state: 'detached'});
		for (const [label, value] of [['Frames', '60'], ['Width', '320'], ['Height', '180']] as const) {
			await page.getByLabel(label).fill(value);
		}
		await page.getByRole('button', {name: 'Render', exact: true}).click();
		// The progress bar takes the values the event stream sends, never going down, up to done.
		// (A string: tsx would name the inner function with a helper the page does not have.)
		const seen = (await page.evaluate(`new Promise((resolve, reject) => {
			const values = [];
			const timer = setTimeout(() => reject(new Error('no video after ' + values.join(', '))), 120000);
			const check = () => {
				const bar = document.querySelector('.submitted [role=progressbar]');
				const value = bar === null ? null : Number(bar.getAttribute('data-progress'));
				if (value !== null && values.at(-1) !== value) values.push(value);
				if (document.querySelector('video.result') !== null) {
					clearTimeout(timer);
					resolve(values);
				} else {
					requestAnimationFrame(check);
				}
			};
			check();
		})`)) as number[];
		assert.ok(seen.length >= 3, `the bar moved through several values: ${seen.join(', ')}`);
		assert.ok(seen.every((value, i) => i === 0 || value >= seen[i - 1]!), `never down: ${seen.join(', ')}`);
		assert.equal(seen.at(-1), 1);
		const played = (await page.evaluate(`new Promise((resolve) => {
			const video = document.querySelector('video.result');
			const done = () => resolve({currentTime: video.currentTime, videoWidth: video.videoWidth, videoHeight: video.videoHeight});
			video.addEventListener('timeupdate', () => video.currentTime > 0.3 && done());
			void video.play();
			setTimeout(done, 10000);
		})`)) as {currentTime: number; videoWidth: number; videoHeight: number};
		assert.ok(played.currentTime > 0.3, `the video plays: ${JSON.stringify(played)}`);
		assert.deepEqual([played.videoWidth, played.videoHeight], [320, 180]);
		await photograph('playground');
	});

	it("renders list: a queued render's position moves up as the render before it finishes", async () => {
		const first = await submit(moving(), 90);
		const second = await submit(moving(), 30);
		const third = await submit(moving(), 30);
		await page.goto(`${server.url}/#/renders`);
		const positionOf = (renderId: string) => page.locator(`tr[data-render-id="${renderId}"] .queue-position`).innerText();
		await waitFor('the third render to be second in the queue', async () => ((await positionOf(third.renderId)) === '#2' ? true : null), 60_000);
		await photograph('renders');
		await waitFor('the third render to be next', async () => ((await positionOf(third.renderId)) === '#1' ? true : null), 120_000);
		await waitFor('the renders to finish', async () => ((await statusOf(third.renderId)) === 'done' ? true : null), 120_000);
		assert.equal(await statusOf(first.renderId), 'done');
		assert.equal(await statusOf(second.renderId), 'done');
		await page.locator(`tr[data-render-id="${third.renderId}"] .badge-done`).waitFor();
	});

	it("a render's page: the chunk timeline has a bar per chunk in the slot that rendered it; an error names chunk, frame 37 and the message", async () => {
		const {renderId} = await submit(moving("if (frame === 37) { throw new Error('Frame 37 is broken'); }"), 60);
		await page.goto(`${server.url}/#/renders/${renderId}`);
		const entry = page.locator('.error-entry', {hasText: 'Frame 37 is broken'}).last();
		await entry.waitFor({timeout: 120_000});
		assert.match(await entry.innerText(), /Chunk 2 · frame 37/);
		await page.locator('.badge-error').waitFor();

		const done = await submit(moving(), 60);
		await page.goto(`${server.url}/#/renders/${done.renderId}`);
		await page.locator('video[data-source="output"]').waitFor({timeout: 120_000});
		const bars = await page.locator('.timeline-bar').evaluateAll((elements) =>
			elements.map((element) => ({chunk: element.getAttribute('data-chunk'), outcome: element.getAttribute('data-outcome'), slot: element.closest('.timeline-row')!.getAttribute('data-slot')})),
		);
		const chunks = (await api(server, 'GET', `/api/render/${done.renderId}/chunks`)).body as {chunks: {index: number; attempts: {worker: string}[]}[]};
		assert.equal(chunks.chunks.length, 4);
		assert.deepEqual(
			bars.map((bar) => `${bar.chunk}@${bar.slot}:${bar.outcome}`).sort(),
			chunks.chunks.map((chunk) => `${chunk.index}@${chunk.attempts.at(-1)!.worker}:done`).sort(),
		);
		const log = await (await fetch(`${server.url}/api/render/${done.renderId}/log`, {headers: {authorization: `Bearer ${KEY}`}})).text();
		for (const chunk of chunks.chunks) {
			assert.match(log, new RegExp(`chunk ${chunk.index} \\(frames [\\d-]+\\): attempt 1 on ${chunk.attempts[0]!.worker.replace(/[/.]/g, '\\$&')}`));
		}
		assert.ok(new Set(bars.map((bar) => bar.slot)).size === 2, 'both slots rendered');
		await photograph('render');
	});

	it('a running render plays live in the page (hls.js), after its first playlist loads failed, then goes on in the finished MP4 from the same position', async () => {
		// The first two loads of the playlist are refused, as by a server restarting: hls.js retries
		// once and gives up (a fatal error), and the player must ask for the playlist again.
		const PLAYLIST = /\/live\.m3u8/;
		let playlistLoads = 0;
		await page.route(PLAYLIST, (route) => (++playlistLoads <= 2 ? route.abort('connectionrefused') : route.continue()));
		const {renderId} = await submit(moving(), 450, 30);
		await page.goto(`${server.url}/#/renders/${renderId}`);
		await page.locator('video[data-source="live"]').waitFor({timeout: 120_000});
		const playedLive = await waitFor(
			'live frames to play',
			async () => (await page.evaluate("(() => { const v = document.querySelector('video'); return v && v.readyState >= 2 && v.videoWidth === 320 && v.currentTime > 0.5 ? v.currentTime : null; })()")) as number | null,
			60_000,
		);
		await page.unroute(PLAYLIST);
		assert.ok(playlistLoads > 2, `the playlist was loaded again after the refused loads (${playlistLoads} loads)`);
		assert.notEqual(await statusOf(renderId), 'done', 'the video played before the render was done');
		await photograph('render-live');
		await page.locator('video[data-source="output"]').waitFor({timeout: 120_000});
		const after = (await waitFor(
			'the MP4 to play on',
			async () => page.evaluate("(() => { const v = document.querySelector('video'); return v && v.readyState >= 1 && v.currentSrc.includes('out.mp4') && !v.paused ? {at: v.currentTime, duration: v.duration} : null; })()"),
			60_000,
		)) as {at: number; duration: number};
		assert.ok(after.at >= playedLive, `the MP4 went on from where the live stream was (${after.at} s, live was at ${playedLive} s or later)`);
		assert.ok(Math.abs(after.duration - 15) < 0.1, `the whole video: ${after.duration} s`);
	});

	it("holds a live render's first picture while the render is behind a viewer at 1x, and plays when asked", async () => {
		// 120 ms of work a frame: about 16 frames a second on the two slots, against the video's 30.
		const {renderId} = await submit(moving('const until = Date.now() + 120; while (Date.now() < until) {}'), 300, 15);
		await page.goto(`${server.url}/#/renders/${renderId}`);
		const video = page.locator('video[data-source="live"]');
		await page.locator('video[data-source="live"][data-gate="held"]').waitFor({state: 'attached', timeout: 120_000});
		const held = (await video.evaluate((element: HTMLVideoElement) => ({paused: element.paused, readyState: element.readyState, at: element.currentTime}))) as {paused: boolean; readyState: number; at: number};
		assert.ok(held.paused && held.readyState >= 2 && held.at < 0.2, `held at its first picture: ${JSON.stringify(held)}`);
		const progress = (await api(server, 'GET', `/api/render/${renderId}/progress`)).body as {livePlaysThroughAt: number | null; currentTime: number; done: boolean};
		assert.equal(progress.done, false);
		assert.ok(progress.livePlaysThroughAt !== null && progress.livePlaysThroughAt - progress.currentTime > 2000, `the render is behind a viewer: plays through ${progress.livePlaysThroughAt! - progress.currentTime} ms on`);
		assert.match(await page.locator('.live-caption').innerText(), /plays from the start in \d+ s/);
		await photograph('render-live-held');
		// Play pressed: the viewer's choice, at once.
		await video.evaluate((element: HTMLVideoElement) => element.play());
		await page.locator('video[data-source="live"][data-gate="open"]').waitFor({state: 'attached'});
		await waitFor('the live stream to play', async () => ((await video.evaluate((element: HTMLVideoElement) => element.currentTime)) > 0.3 ? true : null), 30_000);
		assert.match(await page.locator('.live-caption').innerText(), /playing what is rendered so far/);
		await api(server, 'DELETE', `/api/render/${renderId}`);
	});

	it("shows a running render's first picture from its first segment alone (6 frames)", async () => {
		// The player is given the playlist as if only the first segment were in, and must show it.
		// That segment's video starts two frames after the stream's 0 (x264's B-frames). A player
		// told to play() before it was in (bench/live.ts did) had hls.js seek 0.1 s past that hole,
		// and Chromium then showed nothing until a second segment; the dashboard's autoplay shows it.
		const PLAYLIST = /\/live\.m3u8/;
		await page.route(PLAYLIST, async (route) => {
			const lines = (await (await route.fetch()).text()).split('\n');
			const first = lines.findIndex((line) => line.startsWith('http'));
			await route.fulfill({status: 200, contentType: 'application/vnd.apple.mpegurl', body: (first < 0 ? lines : lines.slice(0, first + 1)).filter((line) => line !== '#EXT-X-ENDLIST').join('\n')});
		});
		// The farm plans the chunks (no framesPerChunk): a first chunk of 6 frames.
		const {renderId} = (await api(server, 'POST', '/api/render', {inputProps: {code: moving(), durationInFrames: 900, fps: 30}, width: 640, height: 360})).body as {renderId: string};
		await page.goto(`${server.url}/#/renders/${renderId}`);
		// Attached, not visible: a video shows no box until it has a picture.
		await page.locator('video[data-source="live"]').waitFor({state: 'attached', timeout: 120_000});
		// The picture, read back through a canvas: the composition's #123456 background, not an empty frame.
		let player = '';
		const pixel = await waitFor(
			'the first picture',
			async () => {
				const seen = (await page.evaluate(`(() => {
					const video = document.querySelector('video[data-source="live"]');
					if (video === null) {
						return {gone: true};
					}
					const canvas = document.createElement('canvas');
					canvas.width = canvas.height = 4;
					const context = canvas.getContext('2d');
					context.drawImage(video, 0, 0, 4, 4);
					const ranges = Array.from({length: video.buffered.length}, (_, i) => [video.buffered.start(i), video.buffered.end(i)]);
					return {pixel: Array.from(context.getImageData(3, 3, 1, 1).data), at: video.currentTime, ranges, readyState: video.readyState, seeking: video.seeking};
				})()`)) as {gone?: boolean; pixel: number[]};
				player = JSON.stringify(seen);
				if (seen.gone) {
					const {done, errors} = (await api(server, 'GET', `/api/render/${renderId}/progress`)).body as {done: boolean; errors: unknown[]};
					assert.fail(`the live player went away with no picture (render done: ${done}, errors: ${JSON.stringify(errors)})`);
				}
				const [r, g, b, a] = seen.pixel;
				return a === 255 && b! > 60 ? [r!, g!, b!] : null;
			},
			20_000,
		).catch((error: Error) => {
			throw new Error(`${error.message}; the player: ${player}`);
		});
		await page.unrouteAll({behavior: 'ignoreErrors'});
		// #123456 through h264's limited range and back: 0,41,81 here.
		assert.ok(Math.abs(pixel[0]! - 0x12) < 24 && Math.abs(pixel[1]! - 0x34) < 24 && Math.abs(pixel[2]! - 0x56) < 24, `the picture's background: ${pixel}`);
		assert.notEqual(await statusOf(renderId), 'done', 'shown while the render ran');
		await api(server, 'DELETE', `/api/render/${renderId}`);
	});

	it('Cancel on a running render ends it as cancelled', async () => {
		const {renderId} = await submit(moving(), 900, 30);
		await page.goto(`${server.url}/#/renders/${renderId}`);
		await waitFor('the render to run', async () => ((await statusOf(renderId)) === 'progress' ? true : null), 60_000);
		await page.getByRole('button', {name: 'Cancel'}).click();
		await page.locator('.badge-cancelled').waitFor({timeout: 30_000});
		assert.equal(((await api(server, 'GET', `/api/render/${renderId}`)).body as {message: string}).message, 'cancelled');
		await page.getByRole('button', {name: 'Cancel'}).waitFor({state: 'detached'});
	});

	it('sites page: how to deploy one while there is none; then a site, its compositions, and a render of one with JSON props', async () => {
		await page.goto(`${server.url}/#/sites`);
		await page.getByText('No sites yet').waitFor();
		const deployed = await runCli(['sites', 'create', path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts'), '--site-name', 'dash-site', '--server', server.url, '--api-key', KEY]);
		assert.equal(deployed.code, 0, deployed.stderr);
		await page.reload();
		await page.getByRole('button', {name: /dash-site/}).click();
		const rows = page.locator('table.compositions tbody tr');
		await rows.first().waitFor({timeout: 60_000});
		assert.deepEqual(await rows.locator('td:first-child').allInnerTexts(), ['Promo', 'Tone', 'Poster']);
		assert.deepEqual(JSON.parse(await page.getByLabel('Props (JSON)').inputValue()), {title: 'Hello', seconds: 2}, "Promo's default props to start from");
		await page.getByLabel('Props (JSON)').fill('{"title": "From the dashboard", "seconds": 1}');
		await photograph('sites');
		await page.getByRole('button', {name: 'Render', exact: true}).click();
		await page.waitForURL(/#\/renders\/\w+$/);
		await page.locator('video').waitFor({timeout: 120_000});
		const renderId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
		const progress = (await api(server, 'GET', `/api/render/${renderId}/progress`)).body as {renderMetadata: {compositionId: string; totalFrames: number; siteId: string}};
		assert.deepEqual([progress.renderMetadata.siteId, progress.renderMetadata.compositionId, progress.renderMetadata.totalFrames], ['dash-site', 'Promo', 30]);
	});
});
