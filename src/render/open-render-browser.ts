import {openBrowser, type HeadlessBrowser} from '@remotion/renderer';
import type {BrowserChoice} from './find-browser.js';

/**
 * One Chromium for one worker slot, with Remotion's own flags and its default GL. Forcing
 * 'swangle' (ANGLE on SwiftShader) made CSS blur 15x slower on a GPU-less machine (80 s against
 * 5.5 s for 10 frames of the benchmark's heavy composition), while the default still gives
 * @remotion/three a WebGL context through the headless shell's software fallback.
 *
 * A slot renders one chunk on one tab at a time, so the headless shell runs as a single process
 * (as Remotion Lambda runs it): a chunk's new tab then needs no renderer process started, and a
 * warm slot's first frame came after 214-278 ms instead of 417-547 ms (renderMedia() of 3 frames
 * on one browser), the heavy composition rendering as fast. Full Chrome keeps its processes:
 * Remotion reports newer versions refusing to render with --single-process.
 */
export const openRenderBrowser = (choice: BrowserChoice): Promise<HeadlessBrowser> =>
	openBrowser('chrome', {
		browserExecutable: choice.executable,
		chromeMode: choice.chromeMode,
		chromiumOptions: {enableMultiProcessOnLinux: choice.chromeMode !== 'headless-shell'},
		logLevel: 'error',
	});
