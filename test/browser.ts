import {chromium, type Browser} from 'playwright-core';
import {createRequire} from 'node:module';

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

const HLS_SCRIPT = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/**
 * Plays an HLS playlist with hls.js in a page of `origin` (the server's, so hls.js may fetch it),
 * sound on, and records what the `<video>` element played through Web Audio, channel 0 at
 * 48 kHz, from the start of playback to its end.
 */
export const recordHlsAudio = async (origin: string, playlistUrl: string, {timeoutMs = 60_000} = {}): Promise<Float32Array> => {
	const browser = await chromium.launch({executablePath: EXECUTABLE, args: [...ARGS, '--autoplay-policy=no-user-gesture-required']});
	try {
		const page = await browser.newPage();
		await page.goto(origin);
		await page.addScriptTag({path: HLS_SCRIPT});
		const samples = await page.evaluate(
			async ({url, timeoutMs}) => {
				const video = document.createElement('video');
				document.body.append(video);
				const context = new AudioContext({sampleRate: 48_000});
				const recorder = context.createScriptProcessor(1024, 1, 1);
				const recorded: number[] = [];
				let recording = false;
				recorder.onaudioprocess = (event) => {
					if (recording) {
						recorded.push(...event.inputBuffer.getChannelData(0));
					}
				};
				context.createMediaElementSource(video).connect(recorder);
				recorder.connect(context.destination);
				const hls = new (window as unknown as {Hls: new (config: object) => {loadSource: (url: string) => void; attachMedia: (video: HTMLVideoElement) => void; destroy: () => void}}).Hls({startPosition: 0});
				hls.loadSource(url);
				hls.attachMedia(video);
				await context.resume();
				recording = true;
				await video.play();
				await Promise.race([
					new Promise((resolve) => video.addEventListener('ended', resolve, {once: true})),
					new Promise((_, reject) => setTimeout(() => reject(new Error(`the playlist did not play to its end in ${timeoutMs} ms`)), timeoutMs)),
				]);
				// What the element played last is still in the audio graph's buffers.
				await new Promise((resolve) => setTimeout(resolve, 200));
				recording = false;
				hls.destroy();
				return recorded;
			},
			{url: playlistUrl, timeoutMs},
		);
		return Float32Array.from(samples);
	} finally {
		await browser.close();
	}
};
