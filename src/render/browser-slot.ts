import type {HeadlessBrowser} from '@remotion/renderer';
import {openBrowserCleanup, type BrowserCleanup} from './browser-cleanup.js';
import {browserProcesses, rssBytes} from './browser-memory.js';
import type {BrowserChoice} from './find-browser.js';
import {guardBrowserNetwork, type PageNetwork} from './network/guard-browser-network.js';
import type {NetworkPolicy} from './network/network-policy.js';
import {openRenderBrowser} from './open-render-browser.js';
import {createKeptPage} from './kept-page.js';
import {inTime, tookLonger} from '../async/in-time.js';

/**
 * How long a slot keeps a render's tab after its chunk, for the render's next chunk: past it the
 * render most likely has no chunk left for this slot, and the tab and what it stored are cleared.
 */
const KEEP_PAGE_MS = 1000;

/** How long clearing a page's leftovers may take (15-20 ms on a live browser) before the browser is replaced. */
const CLEAN_UP_MS = 5000;

/** A worker slot's browser: opened once, reused for every chunk, replaced when in doubt. */
export type BrowserSlot = {
	readonly index: number;
	/** The warm browser, opened on first use or after discard(), its network guarded by the policy. */
	browser: () => Promise<HeadlessBrowser>;
	/**
	 * Runs `work` on the warm browser, which hands Remotion the tab this slot's last chunk of the
	 * same render (`key`) left set up, instead of a new one (kept-page.ts).
	 */
	withKeptPage: <T>(key: string, work: (browser: HeadlessBrowser) => Promise<T>) => Promise<T>;
	/** Whose rules the browser's requests follow: the chunk rendering now (null: none, all blocked). */
	setPageNetwork: (page: PageNetwork | null) => void;
	/**
	 * Clears out what the last chunk's page left in the browser: cookies and the site origin's
	 * storage (every chunk's page has the same origin, and the next one may be another user's), and
	 * its garbage in the renderer's heap. A kept tab stays for the render's next chunk: it and
	 * what it left are cleared before a chunk of another render, or after KEEP_PAGE_MS without one.
	 */
	cleanUp: () => Promise<void>;
	/** Closes the browser after a failed chunk (it may have crashed or hung); the next chunk gets a fresh one. */
	discard: () => Promise<void>;
	close: () => Promise<void>;
	/** Whether a browser of this slot has ever launched (the worker's readiness). */
	launched: () => boolean;
	/** What the open browser's processes use together (resident set sizes); 0 when none is open. */
	memoryBytes: () => Promise<number>;
};

type Warm = {browser: HeadlessBrowser; cleanup: BrowserCleanup};

export const createBrowserSlot = (
	index: number,
	choice: BrowserChoice,
	policy: NetworkPolicy,
	siteOrigin: string,
	{onRestart = () => undefined}: {onRestart?: () => void} = {},
): BrowserSlot => {
	let current: Promise<Warm> | null = null;
	let pageNetwork: PageNetwork | null = null;
	let opened = 0;
	const keptPage = createKeptPage();
	let keepTimer: NodeJS.Timeout | null = null;
	// A clean-up the keep timer started: the next chunk waits for it rather than open a tab beside it.
	let cleaning: Promise<void> = Promise.resolve();

	const open = async (): Promise<Warm> => {
		const browser = await openRenderBrowser(choice);
		opened++;
		if (opened > 1) {
			onRestart();
		}
		try {
			await guardBrowserNetwork({browser, policy, currentPage: () => pageNetwork});
			return {browser, cleanup: await openBrowserCleanup(browser, siteOrigin)};
		} catch (err) {
			await browser.close({silent: true}).catch(() => undefined);
			throw err;
		}
	};

	const stopKeepTimer = () => {
		if (keepTimer !== null) {
			clearTimeout(keepTimer);
			keepTimer = null;
		}
	};

	const cleanUpNow = async () => {
		if (current === null) {
			return;
		}
		try {
			await keptPage.release();
			await inTime((await current).cleanup.afterPage(), CLEAN_UP_MS, tookLonger('clearing what the last page left', CLEAN_UP_MS));
		} catch {
			// A browser that cannot be cleaned up is not handed to the next chunk.
			await closeCurrent();
		}
	};

	const closeCurrent = async () => {
		stopKeepTimer();
		// The kept tab goes with its browser.
		void keptPage.release().catch(() => undefined);
		const closing = current;
		current = null;
		if (closing) {
			await closing.then(({browser}) => browser.close({silent: true})).catch(() => undefined);
		}
	};

	const slot: BrowserSlot = {
		index,
		browser: () => {
			if (current === null) {
				const opening = open();
				// A failed launch must not poison the slot: the next call tries again.
				opening.catch(() => {
					if (current === opening) {
						current = null;
					}
				});
				current = opening;
			}
			return current.then(({browser}) => browser);
		},
		setPageNetwork: (page) => {
			pageNetwork = page;
		},
		withKeptPage: async (key, work) => {
			stopKeepTimer();
			await cleaning;
			if (keptPage.key() !== null && keptPage.key() !== key) {
				// The last render's tab, and what it stored, are not the next render's.
				await cleanUpNow();
			}
			const browser = await slot.browser();
			return keptPage.during(browser, key, () => work(browser));
		},
		cleanUp: async () => {
			stopKeepTimer();
			if (keptPage.key() === null) {
				await cleanUpNow();
				return;
			}
			keepTimer = setTimeout(() => {
				keepTimer = null;
				cleaning = cleanUpNow();
			}, KEEP_PAGE_MS);
			keepTimer.unref();
		},
		discard: closeCurrent,
		close: closeCurrent,
		launched: () => opened > 0,
		memoryBytes: async () => {
			try {
				const warm = current === null ? null : await current;
				const pids = warm === null ? [] : (await browserProcesses(warm.browser)).map((info) => info.id);
				return (await Promise.all(pids.map(rssBytes))).reduce((sum, size) => sum + size, 0);
			} catch {
				// Closing or crashed: nothing to count now.
				return 0;
			}
		},
	};
	return slot;
};
