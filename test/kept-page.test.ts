import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {HeadlessBrowser} from '@remotion/renderer';
import {compileCode} from '../src/code/compile-code.js';
import type {DynamicCodeProps} from '../src/code/dynamic-code-props.js';
import {browserProcesses} from '../src/render/browser-memory.js';
import {createBrowserSlot, type BrowserSlot} from '../src/render/browser-slot.js';
import {bundleSite} from '../src/render/bundle-site.js';
import {dynamicComposition} from '../src/render/dynamic-composition.js';
import {findBrowser} from '../src/render/find-browser.js';
import {createNetworkPolicy} from '../src/render/network/network-policy.js';
import {renderChunk} from '../src/render/render-chunk.js';
import {startSiteServer, type SiteServer} from '../src/render/site-server.js';
import {decodeFrames, makeTempDir, sleep, TEST_CACHE_DIR, waitFor, within} from './helpers.js';

const WIDTH = 320;
const HEIGHT = 180;

// Each frame is drawn from its number, and the page's storage shows through: a chunk of another
// render that finds what an earlier render stored fails.
const CODE = `export const Counter = () => {
	const frame = useCurrentFrame();
	const {durationInFrames} = useVideoConfig();
	if (durationInFrames === 30) { window.localStorage.setItem('left-by', 'the first render'); }
	else if (window.localStorage.getItem('left-by') !== null) { throw new Error('found what another render stored'); }
	if (frame === 20 && durationInFrames === 30) { fetch('http://blocked.invalid/at-20').catch(() => undefined); }
	return <AbsoluteFill style={{background: \`rgb(\${frame * 8}, 40, \${255 - frame * 8})\`}} />;
};`;

let dir: string;
let site: SiteServer;
let serveUrl: string;
let props: DynamicCodeProps;

before(async () => {
	dir = makeTempDir();
	const siteDir = await bundleSite({cacheDir: TEST_CACHE_DIR});
	site = await startSiteServer(path.dirname(siteDir));
	serveUrl = site.urlOf(path.basename(siteDir));
	const compiled = await compileCode(CODE);
	props = {js: compiled.js, exportName: compiled.exportName, durationInFrames: 30, fps: 30, width: WIDTH, height: HEIGHT};
});
after(async () => {
	await site.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const newSlot = async () => {
	const policy = createNetworkPolicy({allowedOrigins: [], siteOrigin: site.origin});
	return {slot: createBrowserSlot(0, await findBrowser(null), policy, site.origin), policy};
};

/** Counts the tabs the browser opens (the slot's own blank tab is opened before). */
const countNewTabs = (browser: HeadlessBrowser) => {
	const prototype = Object.getPrototypeOf(browser) as HeadlessBrowser;
	const newPage = prototype.newPage;
	let opened = 0;
	browser.newPage = (options) => {
		opened++;
		return newPage.call(browser, options);
	};
	return {opened: () => opened, stop: () => void delete (browser as Partial<HeadlessBrowser>).newPage};
};

const chunkOf = async (
	{slot, policy}: {slot: BrowserSlot; policy: ReturnType<typeof createNetworkPolicy>},
	key: string,
	frameRange: [number, number],
	{durationInFrames = 30, blocked = [], whileRendering}: {durationInFrames?: number; blocked?: string[]; whileRendering?: (browser: HeadlessBrowser) => Promise<void>} = {},
) => {
	let looked: Promise<void> | null = null;
	const outDir = fs.mkdtempSync(path.join(dir, 'chunk-'));
	const inputProps = {...props, durationInFrames};
	const files = await slot.withKeptPage(key, (browser) =>
		renderChunk({
			browser,
			serveUrl,
			composition: dynamicComposition(inputProps),
			inputProps,
			codec: 'h264',
			options: {},
			chunk: {index: frameRange[0] / 10, frameRange},
			outDir,
			attempt: 1,
			limits: {frameMs: 30_000, chunkMs: 60_000, renderMs: 120_000, memoryBytes: null},
			network: {policy, setPageNetwork: slot.setPageNetwork, onBlocked: (url) => blocked.push(url)},
			encoderThreads: 1,
			onProgress: ({renderedFrames}) => {
				if (renderedFrames > 0 && whileRendering !== undefined && looked === null) {
					looked = whileRendering(browser);
				}
			},
		}),
	);
	await looked;
	await slot.cleanUp();
	return decodeFrames(files.videoFile!, WIDTH, HEIGHT);
};

describe('a slot keeping a tab between the chunks of a render', () => {
	it("renders the render's next chunk on the tab the last one left, frame for frame as a new tab would", async () => {
		const kept = await newSlot();
		const fresh = await newSlot();
		try {
			const tabs = countNewTabs(await kept.slot.browser());
			await chunkOf(kept, 'render-a', [0, 9]);
			const blocked: string[] = [];
			// Remotion's proxy server (<OffthreadVideo>) is on a new port for every call: the kept
			// tab must be given this call's, which answers while the chunk renders.
			let proxyAnswered: number | null = null;
			const onKeptTab = await chunkOf(kept, 'render-a', [10, 19], {
				whileRendering: async (browser) => {
					const tab = (await browser.pages()).find((page) => !page.closed && page.url().startsWith(site.origin))!;
					const port = await tab.evaluate(() => (window as unknown as {remotion_proxyPort: number}).remotion_proxyPort);
					proxyAnswered = (await fetch(`http://localhost:${port}/`)).status;
				},
			});
			const third = await chunkOf(kept, 'render-a', [20, 29], {blocked});
			tabs.stop();
			assert.equal(tabs.opened(), 1, 'one tab for the three chunks');
			// Requests of a later chunk are still its own to report.
			assert.deepEqual(blocked, ['http://blocked.invalid/at-20']);
			assert.notEqual(proxyAnswered, null, "the kept tab's proxy port answered while its chunk rendered");

			const onNewTab = await chunkOf(fresh, 'render-a', [10, 19]);
			assert.equal(onKeptTab.length, 10);
			assert.equal(third.length, 10);
			onKeptTab.forEach((frame, index) => assert.ok(frame.equals(onNewTab[index]!), `frame ${10 + index} differs from a new tab's`));
		} finally {
			await Promise.all([kept.slot.close(), fresh.slot.close()]);
		}
	});

	it("gives a chunk of another render a new tab, with nothing the last render's page stored", async () => {
		const slot = await newSlot();
		try {
			const tabs = countNewTabs(await slot.slot.browser());
			await chunkOf(slot, 'render-a', [0, 9]);
			// The second render's component throws if it finds what the first one stored.
			const frames = await chunkOf(slot, 'render-b', [0, 9], {durationInFrames: 20});
			tabs.stop();
			assert.equal(frames.length, 10);
			assert.equal(tabs.opened(), 2);
		} finally {
			await slot.slot.close();
		}
	});

	it('closes the kept tab a second after its chunk when no chunk of the render follows', async () => {
		const slot = await newSlot();
		try {
			const browser = await slot.slot.browser();
			const tabs = async () => (await browser.pages()).filter((page) => !page.closed).length;
			const before = await tabs();
			await chunkOf(slot, 'render-a', [0, 9]);
			assert.equal(await tabs(), before + 1, 'the tab is kept for the next chunk');
			// Half the keep time on, it is still there; then it goes (waited for, not slept on: a slow machine's close is late).
			await sleep(500);
			assert.equal(await tabs(), before + 1, 'the tab is kept for a second');
			await waitFor('the kept tab to close', async () => ((await tabs()) === before ? true : null), 10_000);
		} finally {
			await slot.slot.close();
		}
	});

	it('sets up a new tab after a chunk that failed', async () => {
		const slot = await newSlot();
		try {
			const tabs = countNewTabs(await slot.slot.browser());
			await assert.rejects(slot.slot.withKeptPage('render-a', () => Promise.reject(new Error('the chunk failed'))), /the chunk failed/);
			await chunkOf(slot, 'render-a', [0, 9]);
			await assert.rejects(
				slot.slot.withKeptPage('render-a', async (browser) => {
					await browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex: 0, onBrowserLog: null, onLog: () => undefined});
					throw new Error('the chunk failed');
				}),
				/the chunk failed/,
			);
			await chunkOf(slot, 'render-a', [10, 19]);
			tabs.stop();
			assert.equal(tabs.opened(), 2, 'a tab for the first chunk and one after the failure');
		} finally {
			await slot.slot.close();
		}
	});

	const freeze = async (slot: BrowserSlot) => {
		const browser = await slot.browser();
		const pids = (await browserProcesses(browser)).map((info) => info.id);
		pids.forEach((pid) => process.kill(pid, 'SIGSTOP'));
		return {
			browser,
			kill: () =>
				pids.forEach((pid) => {
					try {
						process.kill(pid, 'SIGKILL');
					} catch {
						// Closed by the slot already.
					}
				}),
		};
	};

	it('ends a failed chunk whose kept tab never closes (a frozen browser), and its next chunk renders on a new browser', async () => {
		const slot = await newSlot();
		try {
			await chunkOf(slot, 'render-a', [0, 9]);
			let frozen: Awaited<ReturnType<typeof freeze>> | null = null;
			const startedAt = Date.now();
			// The chunk fails while its browser answers nothing: closing the kept tab must not wait for ever.
			await within(
				20_000,
				assert.rejects(
					slot.slot.withKeptPage('render-a', async () => {
						frozen = await freeze(slot.slot);
						throw new Error('the chunk was cancelled');
					}),
					/the chunk was cancelled/,
				),
				'the failed chunk on a frozen browser',
			);
			assert.ok(Date.now() - startedAt < 10_000, `ended after ${Date.now() - startedAt} ms`);
			// As runChunkTask does after a failed chunk.
			await slot.slot.discard();
			frozen!.kill();
			assert.notEqual(await slot.slot.browser(), frozen!.browser);
			assert.equal((await chunkOf(slot, 'render-a', [10, 19])).length, 10);
		} finally {
			await slot.slot.close();
		}
	});

	it('replaces a browser that freezes before its clean-up, instead of waiting on it', async () => {
		const slot = await newSlot();
		try {
			await chunkOf(slot, 'render-a', [0, 9]);
			// A failed chunk keeps no tab: its clean-up clears the browser at once.
			await assert.rejects(slot.slot.withKeptPage('render-a', () => Promise.reject(new Error('the chunk failed'))), /the chunk failed/);
			const frozen = await freeze(slot.slot);
			await within(20_000, slot.slot.cleanUp(), 'the clean-up of a frozen browser');
			frozen.kill();
			assert.notEqual(await slot.slot.browser(), frozen.browser);
			assert.equal((await chunkOf(slot, 'render-b', [0, 9], {durationInFrames: 20})).length, 10);
		} finally {
			await slot.slot.close();
		}
	});
});
