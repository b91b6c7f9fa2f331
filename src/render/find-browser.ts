import fs from 'node:fs';
import {ensureBrowser, type ChromeMode} from '@remotion/renderer';

export type BrowserChoice = {
	executable: string;
	chromeMode: ChromeMode;
};

// The headless shell first: it is what Remotion renders with by default and the lightest.
const HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];
// Full browsers only support the new headless mode, which Remotion calls chrome-for-testing.
const FULL_BROWSERS = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome-stable',
	'/usr/bin/google-chrome',
];

const isExecutable = (file: string): boolean => {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
};

/**
 * The browser to render with: FRAMEFARM_BROWSER_EXECUTABLE, then the system's headless shell,
 * then a system Chrome, and only then Remotion's own download.
 */
export const findBrowser = async (configured: string | null): Promise<BrowserChoice> => {
	if (configured !== null) {
		if (!isExecutable(configured)) {
			throw new Error(`FRAMEFARM_BROWSER_EXECUTABLE is set to ${configured}, which is not an executable file.`);
		}
		return {executable: configured, chromeMode: /headless-shell/.test(configured) ? 'headless-shell' : 'chrome-for-testing'};
	}
	const shell = HEADLESS_SHELLS.find(isExecutable);
	if (shell) {
		return {executable: shell, chromeMode: 'headless-shell'};
	}
	const full = FULL_BROWSERS.find(isExecutable);
	if (full) {
		return {executable: full, chromeMode: 'chrome-for-testing'};
	}
	const status = await ensureBrowser({logLevel: 'warn'});
	if (!('path' in status)) {
		throw new Error(`No browser to render with: none at ${[...HEADLESS_SHELLS, ...FULL_BROWSERS].join(', ')}, and Remotion could not download one (${status.type}).`);
	}
	return {executable: status.path, chromeMode: 'headless-shell'};
};
