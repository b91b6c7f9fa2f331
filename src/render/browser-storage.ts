import type {HeadlessBrowser} from '@remotion/renderer';

/** Wipes what pages stored in a browser, so that the next page finds nothing of the last. */
export type BrowserStorage = {clear: () => Promise<void>};

// Remotion's typed CDP command list leaves out the Storage domain.
type RawSession = {send: (method: string, params: object) => Promise<unknown>};

/**
 * Every chunk's page has the site server's origin, and cookies ignore the port anyway: local
 * storage, IndexedDB, caches, service workers and cookies would pass from one render to the next
 * on the same browser. Chromium clears an origin's storage only for a page's session (the
 * browser's own answers "Internal error"), so the browser keeps one blank tab to ask from.
 */
export const openBrowserStorage = async (browser: HeadlessBrowser, siteOrigin: string): Promise<BrowserStorage> => {
	const blank = await browser.newPage({context: () => null, logLevel: 'error', indent: false, pageIndex: 0, onBrowserLog: null, onLog: () => undefined});
	const session = blank._client() as unknown as RawSession;
	return {
		clear: async () => {
			await session.send('Storage.clearCookies', {});
			await session.send('Storage.clearDataForOrigin', {origin: siteOrigin, storageTypes: 'all'});
		},
	};
};
