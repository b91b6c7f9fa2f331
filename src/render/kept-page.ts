import type {HeadlessBrowser} from '@remotion/renderer';
import {unlessGone} from './browser-gone.js';
import {inTime, tookLonger} from '../async/in-time.js';

// Remotion's page type is not exported; these are the members that keeping a page touches.
type RemotionPage = Awaited<ReturnType<HeadlessBrowser['newPage']>>;
type NewPageOptions = Parameters<HeadlessBrowser['newPage']>[0];
type Keepable = {
	closed: boolean;
	goto: (...args: never[]) => Promise<unknown>;
	evaluate: (script: unknown, ...args: unknown[]) => Promise<unknown>;
	evaluateOnNewDocument: (script: unknown, ...args: unknown[]) => Promise<unknown>;
	close: (...args: never[]) => Promise<unknown>;
	// What the page reports to: the renderMedia() call that opened it, unless it is handed on.
	onBrowserLog: NewPageOptions['onBrowserLog'];
	onLog: NewPageOptions['onLog'];
	sourceMapGetter: NewPageOptions['context'];
};

/**
 * A tab kept set up between the chunks of one render on one browser. `renderMedia()` opens a new
 * tab for every call, loads the site into it and sets up the composition before its first frame:
 * 224-335 ms of a warm browser's chunk, where the next chunk of the same render on the tab the
 * last one left had its first frame after 95-134 ms and took about 0.3 s less in all (30 frames of
 * the light composition; BENCHMARKS.md). The frames are the same: the files came out byte for byte.
 *
 * For the length of `during()`, the browser hands the call's first new tab from the kept page,
 * whose navigation is then skipped (the same site with the same props is already loaded and
 * rendering). The start-up scripts meant for the next document run in the loaded one instead: they
 * carry what changes from call to call, such as the port of Remotion's proxy server for
 * `<OffthreadVideo>`, which is new for every call. The page reports its console to the new call.
 * Remotion sets the composition again and seeks its frames as on a new tab, and its closing the
 * tab at the end leaves it open. A second tab in the same call (a retry after a crashed tab) is an
 * ordinary one.
 */
export type KeptPage = {
	/** The render whose tab is kept, or null. */
	key: () => string | null;
	/** Runs `work` with `browser` handing it the tab kept for `key`; a tab kept for another key is closed first. */
	during: <T>(browser: HeadlessBrowser, key: string, work: () => Promise<T>) => Promise<T>;
	/**
	 * Closes the kept tab. Fails when the browser is gone or the tab does not close within
	 * CLOSE_TAB_MS: the browser is then in doubt, and its slot closes it.
	 */
	release: () => Promise<void>;
};

/**
 * Closing a tab waits for the browser to announce the tab gone, which a browser killed meanwhile
 * (Remotion kills its browsers on SIGTERM) never does: a worker stopping while a cancelled chunk
 * closed its kept tab waited for ever. A live browser closes a tab in milliseconds.
 */
const CLOSE_TAB_MS = 5000;

export const createKeptPage = (): KeptPage => {
	let kept: {key: string; page: RemotionPage; tab: Keepable; close: () => Promise<unknown>} | null = null;

	const release = async () => {
		const closing = kept;
		kept = null;
		await closing?.close();
	};

	const keep = (browser: HeadlessBrowser, key: string, page: RemotionPage) => {
		const tab = page as unknown as Keepable;
		const goto = tab.goto.bind(tab);
		const evaluateOnNewDocument = tab.evaluateOnNewDocument.bind(tab);
		const close = tab.close.bind(tab);
		let loaded = false;
		// Remotion checks the status of the response; the page it would load is the one loaded.
		tab.goto = (async (...args: never[]) => {
			if (loaded) {
				return {status: () => 200};
			}
			const response = await goto(...args);
			loaded = true;
			return response;
		}) as Keepable['goto'];
		// Scripts for the next document, which never comes on a kept tab, run in this one. A script
		// given as a string only makes objects the loaded document already has.
		tab.evaluateOnNewDocument = async (script, ...args) => {
			if (!loaded) {
				return evaluateOnNewDocument(script, ...args);
			}
			return typeof script === 'function' ? tab.evaluate(script, ...args) : undefined;
		};
		tab.close = (async () => undefined) as Keepable['close'];
		const what = 'closing the kept tab';
		kept = {key, page, tab, close: () => unlessGone(browser, inTime(close(), CLOSE_TAB_MS, tookLonger(what, CLOSE_TAB_MS)), what)};
	};

	return {
		key: () => kept?.key ?? null,
		release,
		during: async (browser, key, work) => {
			if (kept !== null && (kept.key !== key || kept.tab.closed)) {
				await release();
			}
			const newPage = browser.newPage;
			let handedOut = false;
			browser.newPage = async (options) => {
				if (handedOut) {
					return newPage.call(browser, options);
				}
				handedOut = true;
				if (kept !== null) {
					kept.tab.onBrowserLog = options.onBrowserLog;
					kept.tab.onLog = options.onLog;
					kept.tab.sourceMapGetter = options.context;
					return kept.page;
				}
				const page = await newPage.call(browser, options);
				keep(browser, key, page);
				return page;
			};
			try {
				return await work();
			} catch (err) {
				// Whatever failed may have left the tab mid-frame: the next chunk sets up a new one. A
				// tab that does not close goes with its browser, which the failed chunk's slot replaces.
				await release().catch(() => undefined);
				throw err;
			} finally {
				browser.newPage = newPage;
			}
		},
	};
};
