import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {renderMedia} from '@remotion/renderer';
import {compileCode} from '../src/code/compile-code.js';
import type {DynamicCodeProps} from '../src/code/dynamic-code-props.js';
import {unlessGone} from '../src/render/browser-gone.js';
import {createBrowserSlot} from '../src/render/browser-slot.js';
import {dynamicComposition} from '../src/render/dynamic-composition.js';
import {browserProcesses} from '../src/render/browser-memory.js';
import {createNetworkPolicy} from '../src/render/network/network-policy.js';
import {bundleSite} from '../src/render/bundle-site.js';
import {ChunkError} from '../src/render/chunk-error.js';
import {findBrowser} from '../src/render/find-browser.js';
import {probeVideo} from '../src/render/probe-video.js';
import {RenderFailedError} from '../src/render/render-failed-error.js';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {renderVideo, type RenderVideoOptions} from '../src/render/render-video.js';
import {decodeFrames, framePresentationTimes, makeTempDir, psnr, readExample, TEST_CACHE_DIR, within} from './helpers.js';

const WIDTH = 320;
const HEIGHT = 180;
let dir: string;

before(() => {
	dir = makeTempDir();
});
after(() => fs.rmSync(dir, {recursive: true, force: true}));

const render = (code: string, extra: Partial<RenderVideoOptions> & {name: string}) =>
	renderVideo({
		code,
		durationInFrames: 45,
		fps: 30,
		width: WIDTH,
		height: HEIGHT,
		framesPerChunk: 15,
		concurrency: 2,
		cacheDir: TEST_CACHE_DIR,
		browserExecutable: null,
		...extra,
		outFile: path.join(dir, `${extra.name}.mp4`),
	});

// Each frame is unlike its neighbours: a bar that moves 5 px a frame and the frame number.
const MOVING_BAR = `
import {AbsoluteFill, useCurrentFrame} from 'remotion';
export const MovingBar = () => {
	const frame = useCurrentFrame();
	return (
		<AbsoluteFill style={{background: '#fff'}}>
			<div style={{position: 'absolute', left: frame * 5, top: 0, width: 20, height: 180, background: '#c00'}} />
			<div style={{position: 'absolute', right: 10, bottom: 10, fontSize: 40, fontFamily: 'sans-serif'}}>{frame}</div>
		</AbsoluteFill>
	);
};`;

describe('renderVideo with real Chromium', () => {
	for (const [example, name] of [
		['title-card.tsx', 'title-card'],
		['shapes-transitions.tsx', 'shapes'],
		['rotating-cube.tsx', 'cube'],
		['bare-body.txt', 'bare-body'],
	] as const) {
		it(`renders ${example}: every frame, the right size, audio as long as the video`, async () => {
			const progress: RenderProgress[] = [];
			const result = await render(readExample(example), {name, onProgress: (p) => progress.push(p)});
			const probe = await probeVideo(result.outFile);
			assert.equal(probe.video?.codec, 'h264');
			assert.equal(probe.video?.frames, 45);
			assert.equal(probe.video?.width, WIDTH);
			assert.equal(probe.video?.height, HEIGHT);
			assert.equal(probe.video?.durationInSeconds, 1.5);
			assert.equal(probe.audio?.codec, 'aac');
			// AAC frames are 1024 samples: the track ends within a few of them of the video, as
			// with a plain renderMedia() (see the comparison test).
			assert.ok(Math.abs((probe.audio?.durationInSeconds ?? 0) - 1.5) < 0.1, `audio ${probe.audio?.durationInSeconds}s`);
			assert.equal(result.sizeInBytes, fs.statSync(result.outFile).size);
			assert.deepEqual(
				result.chunks.map((chunk) => chunk.frameRange),
				[[0, 14], [15, 29], [30, 44]],
			);
			const last = progress.at(-1);
			assert.equal(last?.done, true);
			assert.equal(last?.framesRendered, 45);
			assert.equal(last?.chunks, 3);
			const overall = progress.map((p) => p.overallProgress);
			assert.deepEqual(overall, [...overall].sort((a, b) => a - b), 'overallProgress never decreases');
		});
	}

	it('matches a single plain renderMedia(): no frame dropped, repeated or degraded at chunk boundaries', async (t) => {
		const result = await render(MOVING_BAR, {name: 'stitched', durationInFrames: 60, framesPerChunk: 20});
		const compiled = await compileCode(MOVING_BAR);
		const props: DynamicCodeProps = {js: compiled.js, exportName: compiled.exportName, durationInFrames: 60, fps: 30, width: WIDTH, height: HEIGHT};
		const plainFile = path.join(dir, 'plain.mp4');
		await renderMedia({
			serveUrl: await bundleSite({cacheDir: TEST_CACHE_DIR}),
			composition: dynamicComposition(props),
			inputProps: props,
			codec: 'h264',
			enforceAudioTrack: true,
			outputLocation: plainFile,
			browserExecutable: (await findBrowser(null)).executable,
			logLevel: 'error',
		});
		const [stitched, plain] = await Promise.all([decodeFrames(result.outFile, WIDTH, HEIGHT), decodeFrames(plainFile, WIDTH, HEIGHT)]);
		assert.equal(stitched.length, 60);
		assert.equal(plain.length, 60);
		let lowest = Infinity;
		for (let frame = 0; frame < 60; frame++) {
			const same = psnr(stitched[frame] as Buffer, plain[frame] as Buffer);
			lowest = Math.min(lowest, same);
			assert.ok(same >= 35, `frame ${frame}: PSNR ${same.toFixed(1)} dB against the plain render`);
			for (const neighbour of [frame - 1, frame + 1].filter((n) => n >= 0 && n < 60)) {
				const shifted = psnr(stitched[frame] as Buffer, plain[neighbour] as Buffer);
				assert.ok(same > shifted + 5, `frame ${frame} looks like plain frame ${neighbour} (${shifted.toFixed(1)} vs ${same.toFixed(1)} dB)`);
			}
		}
		t.diagnostic(`lowest PSNR against the plain render: ${lowest.toFixed(1)} dB (boundaries at 19|20 and 39|40)`);
		// Every frame lasts exactly 1/30 s, across the joins too (timestamps rounded anywhere on the way would show here).
		const {times, timeBase} = await framePresentationTimes(result.outFile);
		const frameDurations = new Set(times.slice(1).map((time, i) => Math.round((time - (times[i] ?? 0)) * timeBase * 1e6)));
		assert.deepEqual([...frameDurations], [33333], 'frame durations in microseconds');
		const [stitchedProbe, plainProbe] = await Promise.all([probeVideo(result.outFile), probeVideo(plainFile)]);
		assert.equal(stitchedProbe.audio?.durationInSeconds, plainProbe.audio?.durationInSeconds, 'audio as long as the plain render');
	});

	it('fails a component that throws on the first frame of a chunk, every time', async () => {
		// The page first renders the component while Remotion sets it up, at the chunk's first
		// frame; an exception there used to go unnoticed now and then, and the chunk came out blank.
		const code = `export const FirstFrame = () => {
			if (useCurrentFrame() === 2) { throw new Error('no frame 2'); }
			return <AbsoluteFill style={{background: 'teal'}} />;
		};`;
		for (let run = 0; run < 4; run++) {
			await assert.rejects(render(code, {name: `first-frame-${run}`, durationInFrames: 4, framesPerChunk: 2, chunkRetries: 0}), (err: unknown) => {
				assert.ok(err instanceof RenderFailedError, String(err));
				assert.match(err.message, /^Chunk 1 \(frames 2-3\) failed at frame 2 on attempt 1 of 1: .*no frame 2/);
				return true;
			});
		}
	});

	it('fails a component that throws at frame 37 after one retry, naming chunk and frame', async () => {
		const code = `export const Boom = () => {
			const frame = useCurrentFrame();
			if (frame === 37) { throw new Error('the component gave up at 37'); }
			return <AbsoluteFill style={{background: 'navy'}} />;
		};`;
		const progress: RenderProgress[] = [];
		await assert.rejects(
			render(code, {name: 'boom', durationInFrames: 60, framesPerChunk: 30, chunkRetries: 1, onProgress: (p) => progress.push(p)}),
			(err: unknown) => {
				assert.ok(err instanceof RenderFailedError, String(err));
				assert.match(err.message, /^Chunk 1 \(frames 30-59\) failed at frame 37 on attempt 2 of 2: .*the component gave up at 37/);
				assert.ok(err.cause instanceof ChunkError);
				assert.equal(err.cause.chunk, 1);
				assert.equal(err.cause.frame, 37);
				assert.equal(err.cause.attempt, 2);
				assert.match(err.cause.stack ?? '', /Boom/);
				return true;
			},
		);
		const errors = progress.at(-1)?.errors ?? [];
		assert.deepEqual(
			errors.map((e) => [e.chunk, e.frame, e.attempt, e.willRetry, e.isFatal]),
			[[1, 37, 1, true, false], [1, 37, 2, false, true]],
		);
		assert.ok(!fs.existsSync(path.join(dir, 'boom.mp4')));
	});

	it('stops promptly when cancelled and leaves no output', async () => {
		const controller = new AbortController();
		const startedAt = Date.now();
		await assert.rejects(
			render(readExample('title-card.tsx'), {
				name: 'cancelled',
				durationInFrames: 60,
				signal: controller.signal,
				onProgress: (p) => {
					if (p.framesRendered > 0 && !controller.signal.aborted) {
						controller.abort(new Error('cancelled by the test'));
					}
				},
			}),
			/cancelled/,
		);
		assert.ok(Date.now() - startedAt < 20_000);
		assert.ok(!fs.existsSync(path.join(dir, 'cancelled.mp4')));
	});
});

describe('browser slot', () => {
	// No site server: these tests open pages of their own.
	const newSlot = async () => createBrowserSlot(0, await findBrowser(null), createNetworkPolicy({allowedOrigins: [], siteOrigin: 'http://127.0.0.1:1'}), 'http://127.0.0.1:1');

	it('replaces a crashed browser', async () => {
		const slot = await newSlot();
		try {
			const first = await slot.browser();
			assert.equal(await slot.browser(), first, 'the same warm browser is reused');
			await first.runner.closeProcess();
			await slot.discard();
			const second = await slot.browser();
			assert.notEqual(second, first);
			const page = await second.pages();
			assert.ok(Array.isArray(page));
		} finally {
			await slot.close();
		}
	});

	// Remotion kills its browsers on SIGTERM (runner.closeProcess()); its connection used to leave
	// a new tab, and any command sent after that, waiting forever.
	it('fails at once what is asked of a browser that is gone, and still closes', async () => {
		const slot = await newSlot();
		try {
			const browser = await slot.browser();
			const waiting = unlessGone(browser, new Promise(() => undefined), 'waiting for a tab');
			await browser.runner.closeProcess();
			await assert.rejects(within(5000, waiting, 'a wait on the browser'), /waiting for a tab: the browser is gone/);
			const newPage = browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex: 0, onBrowserLog: null, onLog: () => undefined});
			await assert.rejects(within(5000, newPage, 'newPage()'), /Target\.createTarget.*the browser is gone/);
			await within(5000, slot.cleanUp(), 'cleaning up');
		} finally {
			await within(5000, slot.close(), 'closing the slot');
		}
	});

	it('keeps every tab of its browser in one renderer process, which outlives the tabs', async () => {
		const slot = await newSlot();
		try {
			const browser = await slot.browser();
			const renderers = async () => (await browserProcesses(browser)).filter((info) => info.type === 'renderer').map((info) => info.id);
			const seen = new Set<number>();
			for (let chunk = 0; chunk < 3; chunk++) {
				const pages = await Promise.all([0, 1].map((pageIndex) => browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex, onBrowserLog: null, onLog: () => undefined})));
				await Promise.all(pages.map((page) => page.goto({url: 'data:text/html,<p>chunk</p>', timeout: 10_000, options: {}})));
				const now = await renderers();
				assert.equal(now.length, 1, `one renderer for the slot's blank tab and two more: ${now.join(', ')}`);
				now.forEach((id) => seen.add(id));
				await Promise.all(pages.map((page) => page.close()));
			}
			assert.equal(seen.size, 1, 'the same renderer process all along');
		} finally {
			await slot.close();
		}
	});

	it("collects what a closed page left in the renderer's heap when cleaning up", async () => {
		const slot = await newSlot();
		try {
			const browser = await slot.browser();
			const openPage = async () => {
				const page = await browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex: 0, onBrowserLog: null, onLog: () => undefined});
				await page.goto({url: 'data:text/html,<p>chunk</p>', timeout: 10_000, options: {}});
				return page;
			};
			// Every tab shares the renderer's heap: the probe sees what the closed page left there.
			const probe = (await openPage())._client() as unknown as {send: (method: string) => Promise<{value: {usedSize: number}}>};
			const heapUsed = async () => (await probe.send('Runtime.getHeapUsage')).value.usedSize;
			const page = await openPage();
			await page.evaluate(() => {
				(window as unknown as {hog: unknown}).hog = Array.from({length: 1_500_000}, (_, i) => ({i, label: `item ${i}`}));
			});
			await page.close();
			const left = await heapUsed();
			await slot.cleanUp();
			const after = await heapUsed();
			assert.ok(left - after > 50e6, `heap ${Math.round(left / 1e6)} MB after the page closed, ${Math.round(after / 1e6)} MB after cleaning up`);
		} finally {
			await slot.close();
		}
	});
});
