import {chromium, type Browser} from 'playwright-core';

const EXECUTABLE = '/usr/bin/chromium-headless-shell';
// This machine's network is closed: no background connections, which fail many at a time.
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Debian's headless Chromium driven by Playwright (no browser download). */
export const launchBrowser = (): Promise<Browser> => chromium.launch({executablePath: EXECUTABLE, args: ARGS});

export type Playback = {videoWidth: number; videoHeight: number; currentTime: number; duration: number; rangeRequests: number};

/**
 * Plays a video URL in a `<video>` element of a blank page, as a person's browser would (no
 * header of ours), until it has played `seconds` or ended, and says what the player saw.
 */
export const playInBrowser = async (url: string, {seconds = 0.5, timeoutMs = 20_000} = {}): Promise<Playback> => {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage();
		let rangeRequests = 0;
		page.on('request', (request) => {
			if (request.url() === url && request.headers().range !== undefined) {
				rangeRequests++;
			}
		});
		const played = await page.evaluate(
			async ({src, seconds, timeoutMs}) => {
				const video = document.createElement('video');
				video.muted = true;
				video.src = src;
				document.body.append(video);
				await video.play();
				const deadline = Date.now() + timeoutMs;
				while (video.currentTime < seconds && !video.ended && Date.now() < deadline) {
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
				if (video.error) {
					throw new Error(`the video failed: ${video.error.message}`);
				}
				return {videoWidth: video.videoWidth, videoHeight: video.videoHeight, currentTime: video.currentTime, duration: video.duration};
			},
			{src: url, seconds, timeoutMs},
		);
		return {...played, rangeRequests};
	} finally {
		await browser.close();
	}
};
