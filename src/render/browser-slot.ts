import type {HeadlessBrowser} from '@remotion/renderer';
import type {BrowserChoice} from './find-browser.js';
import {guardBrowserNetwork, type PageNetwork} from './network/guard-browser-network.js';
import type {NetworkPolicy} from './network/network-policy.js';
import {openRenderBrowser} from './open-render-browser.js';

/** A worker slot's browser: opened once, reused for every chunk, replaced when in doubt. */
export type BrowserSlot = {
	readonly index: number;
	/** The warm browser, opened on first use or after discard(), its network guarded by the policy. */
	browser: () => Promise<HeadlessBrowser>;
	/** Whose rules the browser's requests follow: the chunk rendering now (null: none, all blocked). */
	setPageNetwork: (page: PageNetwork | null) => void;
	/** Closes the browser after a failed chunk (it may have crashed or hung); the next chunk gets a fresh one. */
	discard: () => Promise<void>;
	close: () => Promise<void>;
};

export const createBrowserSlot = (index: number, choice: BrowserChoice, policy: NetworkPolicy): BrowserSlot => {
	let current: Promise<HeadlessBrowser> | null = null;
	let pageNetwork: PageNetwork | null = null;

	const open = async (): Promise<HeadlessBrowser> => {
		const browser = await openRenderBrowser(choice);
		try {
			await guardBrowserNetwork({browser, policy, currentPage: () => pageNetwork});
		} catch (err) {
			await browser.close({silent: true}).catch(() => undefined);
			throw err;
		}
		return browser;
	};

	const closeCurrent = async () => {
		const closing = current;
		current = null;
		if (closing) {
			await closing.then((browser) => browser.close({silent: true})).catch(() => undefined);
		}
	};

	return {
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
			return current;
		},
		setPageNetwork: (page) => {
			pageNetwork = page;
		},
		discard: closeCurrent,
		close: closeCurrent,
	};
};
