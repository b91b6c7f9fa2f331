import type {HeadlessBrowser} from '@remotion/renderer';
import {unlessGone} from './browser-gone.js';

/** Clears out what the last page left in a browser, before the next page opens. */
export type BrowserCleanup = {afterPage: () => Promise<void>};

// Remotion's typed CDP command list leaves out the Storage domain.
type RawSession = {send: (method: string, params: object) => Promise<unknown>};

/**
 * Two things outlive a chunk's page, and the browser keeps one blank tab to deal with both:
 *
 * - What the page stored. Every chunk's page has the site server's origin, and cookies ignore the
 *   port anyway: local storage, IndexedDB, caches, service workers and cookies would pass from one
 *   render to the next, another user's. Chromium clears an origin's storage only for a page's
 *   session (the browser's own answers "Internal error").
 * - What the page allocated. All tabs share one renderer process (--renderer-process-limit=1), so
 *   a closed page's JavaScript and DOM stay in its heap until V8 collects them, which it put off
 *   for 15 renders at a time while the farm grew by 400 MB. A full collection from the blank tab's
 *   session (the same heap) takes 15-20 ms and keeps the compiled code that makes the next page
 *   fast, unlike a memory-pressure purge.
 */
export const openBrowserCleanup = async (browser: HeadlessBrowser, siteOrigin: string): Promise<BrowserCleanup> => {
	const blank = await unlessGone(
		browser,
		browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex: 0, onBrowserLog: null, onLog: () => undefined}),
		'opening the blank tab',
	);
	const session = blank._client() as unknown as RawSession;
	return {
		afterPage: async () => {
			await session.send('Storage.clearCookies', {});
			await session.send('Storage.clearDataForOrigin', {origin: siteOrigin, storageTypes: 'all'});
			await session.send('HeapProfiler.collectGarbage', {});
		},
	};
};
