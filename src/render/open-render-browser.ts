import {openBrowser, type HeadlessBrowser} from '@remotion/renderer';
import type {BrowserChoice} from './find-browser.js';

/**
 * One Chromium for one worker slot, with Remotion's own flags and its default GL. Forcing
 * 'swangle' (ANGLE on SwiftShader) made CSS blur 15x slower on a GPU-less machine (80 s against
 * 5.5 s for 10 frames of the benchmark's heavy composition), while the default still gives
 * @remotion/three a WebGL context through the headless shell's software fallback.
 */
export const openRenderBrowser = (choice: BrowserChoice): Promise<HeadlessBrowser> =>
	openBrowser('chrome', {
		browserExecutable: choice.executable,
		chromeMode: choice.chromeMode,
		logLevel: 'error',
	});
