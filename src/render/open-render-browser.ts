import {openBrowser, type HeadlessBrowser} from '@remotion/renderer';
import type {BrowserChoice} from './find-browser.js';

/**
 * One Chromium for one worker slot. WebGL goes through SwiftShader via ANGLE ('swangle'), so
 * @remotion/three renders on machines without a GPU; Remotion adds its own sandbox and
 * background-networking flags.
 */
export const openRenderBrowser = (choice: BrowserChoice): Promise<HeadlessBrowser> =>
	openBrowser('chrome', {
		browserExecutable: choice.executable,
		chromeMode: choice.chromeMode,
		chromiumOptions: {gl: 'swangle'},
		logLevel: 'error',
	});
