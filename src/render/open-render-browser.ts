import {openBrowser, type HeadlessBrowser} from '@remotion/renderer';
import {browserLauncher} from './browser-launcher.js';
import {failCommandsWhenGone} from './browser-gone.js';
import type {BrowserChoice} from './find-browser.js';

/**
 * One Chromium for one worker slot, with Remotion's own flags, framefarm's (RENDER_FLAGS) and
 * Remotion's default GL. Forcing 'swangle' (ANGLE on SwiftShader) made CSS blur 15x slower on a
 * GPU-less machine (80 s against 5.5 s for 10 frames of the benchmark's heavy composition),
 * while the default still gives @remotion/three a WebGL context through the headless shell's
 * software fallback.
 */
export const openRenderBrowser = async (choice: BrowserChoice): Promise<HeadlessBrowser> => {
	const browser = await openBrowser('chrome', {
		browserExecutable: browserLauncher(choice.executable),
		chromeMode: choice.chromeMode,
		logLevel: 'error',
	});
	failCommandsWhenGone(browser);
	return browser;
};
