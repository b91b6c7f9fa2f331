import type {HeadlessBrowser} from '@remotion/renderer';
import type {BrowserChoice} from './find-browser.js';
import {openRenderBrowser} from './open-render-browser.js';

/** A worker slot's browser: opened once, reused for every chunk, replaced when in doubt. */
export type BrowserSlot = {
	readonly index: number;
	/** The warm browser, opened on first use or after discard(). */
	browser: () => Promise<HeadlessBrowser>;
	/** Closes the browser after a failed chunk (it may have crashed or hung); the next chunk gets a fresh one. */
	discard: () => Promise<void>;
	close: () => Promise<void>;
};

export const createBrowserSlot = (index: number, choice: BrowserChoice): BrowserSlot => {
	let current: Promise<HeadlessBrowser> | null = null;

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
				const opening = openRenderBrowser(choice);
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
		discard: closeCurrent,
		close: closeCurrent,
	};
};
