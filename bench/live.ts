import {createRequire} from 'node:module';
import type {Browser} from 'playwright-core';
import {probeVideo} from '../src/render/probe-video.js';
import {launchBrowser} from '../test/browser.js';
import type {Reference} from './compositions.js';
import type {Farm} from './farm.js';

export type LiveRun = {
	/** Submit to the playlist listing its first segment (checked to decode). */
	toFirstSegmentMs: number;
	/** Submit to hls.js showing the first frame in a browser's <video>. */
	toFirstFrameMs: number;
	/** Submit to playback starting: the first frame held until the progress object's livePlaysThroughAt, as the dashboard's player does. */
	toPlayingMs: number;
	/**
	 * Times playback at 1x stood still for 100 ms or more after it started (the picture not
	 * advancing, whatever events the element sent), and the time from the start to the end beyond
	 * the video's length: how long a viewer waited after the start.
	 */
	stalls: number;
	stalledMs: number;
	/** Submit to done. */
	wallMs: number;
};

const HLS_SCRIPT = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

// In the page: hls.js plays the playlist from its start; resolves with the first frame's time, then
// the stalls once playback reached the end. As the dashboard's player (live-player.tsx), it holds
// the first picture until window.playsThroughAt (set from the progress object as it is polled).
// A stall is the picture standing still while the video plays: sampled every 20 ms, because a
// player that showed the first frame of a short segment waits without a 'waiting' event (the full
// run of 871dd21 counted none where segments came 15 s apart).
const PLAY = `async (url) => {
	const video = document.createElement('video');
	video.muted = true;
	document.body.append(video);
	// Autoplay, as the dashboard's player (live-player.tsx). play() called before the first segment
	// was in had hls.js seek 0.1 s past the two frames of B-frame delay at the stream's start, and
	// with a 6-frame first segment Chromium then showed nothing until the second segment.
	video.autoplay = true;
	const hls = new Hls({startPosition: 0});
	hls.loadSource(url);
	hls.attachMedia(video);
	const firstFrameAt = await new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(Date.now())));
	if (!(Date.now() >= window.playsThroughAt)) {
		video.pause();
		while (!(Date.now() >= window.playsThroughAt)) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await video.play();
	}
	const playingAt = Date.now();
	let stalls = 0, stillSince = null, lastTime = video.currentTime, lastMovedAt = Date.now();
	const sampler = setInterval(() => {
		const now = Date.now();
		if (video.currentTime !== lastTime || video.ended) {
			lastTime = video.currentTime;
			lastMovedAt = now;
			stillSince = null;
		} else if (stillSince === null && now - lastMovedAt >= 100) {
			stillSince = lastMovedAt;
			stalls++;
		}
	}, 20);
	await new Promise((resolve) => video.addEventListener('ended', resolve, {once: true}));
	clearInterval(sampler);
	const playedMs = Date.now() - playingAt;
	const stalledMs = Math.max(0, Math.round(playedMs - video.duration * 1000));
	hls.destroy();
	return {firstFrameAt, playingAt, stalls, stalledMs};
}`;

/**
 * Watching a render as it renders, on a warm farm: submit to the first segment listed, submit to
 * the first frame in a browser through hls.js, and whether playback at 1x then stalls.
 */
export const watchOnFarm = async (farm: Farm, reference: Reference, browser: Browser): Promise<LiveRun> => {
	const page = await browser.newPage();
	try {
		await page.goto(`${farm.url}/health`);
		await page.addScriptTag({path: HLS_SCRIPT});
		const startedAt = Date.now();
		const submitted = await farm.request('POST', '/api/render', {
			inputProps: {code: reference.code, durationInFrames: reference.durationInFrames, fps: reference.fps},
			width: reference.width,
			height: reference.height,
		});
		const id = submitted.body.renderId as string;
		const liveUrl = (await farm.request('GET', `/api/render/${id}/progress`)).body.liveUrl as string;
		let firstSegment: string | null = null;
		while (firstSegment === null) {
			const playlist = await (await fetch(liveUrl)).text();
			firstSegment = playlist.split('\n').find((line) => line.startsWith('http')) ?? null;
			if (firstSegment === null) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		}
		const toFirstSegmentMs = Date.now() - startedAt;
		const playing = page.evaluate(`(${PLAY})(${JSON.stringify(liveUrl)})`) as Promise<{firstFrameAt: number; playingAt: number; stalls: number; stalledMs: number}>;
		const segmentFrames = (await probeVideo(firstSegment)).video?.frames ?? 0;
		if (segmentFrames === 0) {
			throw new Error(`the first segment of render ${id} does not decode`);
		}
		let wallMs = NaN;
		while (Number.isNaN(wallMs)) {
			const progress = (await farm.request('GET', `/api/render/${id}/progress`)).body;
			if (progress.livePlaysThroughAt !== null) {
				// The page shares this machine's clock: the server's time is its time.
				await page.evaluate((at) => Object.assign(window, {playsThroughAt: at}), progress.livePlaysThroughAt as number);
			}
			if (progress.done) {
				wallMs = Date.now() - startedAt;
			} else if (progress.fatalErrorEncountered) {
				throw new Error(`render ${id} failed: ${progress.errors.at(-1)?.message}`);
			} else {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
		const played = await playing;
		return {toFirstSegmentMs, toFirstFrameMs: played.firstFrameAt - startedAt, toPlayingMs: played.playingAt - startedAt, stalls: played.stalls, stalledMs: played.stalledMs, wallMs};
	} finally {
		await page.close();
	}
};

/** `runs` watched renders of each reference, one browser for all. */
export const benchLive = async (farm: Farm, references: Reference[], runs: number): Promise<{reference: Reference; runs: LiveRun[]}[]> => {
	const browser = await launchBrowser();
	try {
		const results = [];
		for (const reference of references) {
			const done: LiveRun[] = [];
			for (let run = 0; run < runs; run++) {
				done.push(await watchOnFarm(farm, reference, browser));
			}
			results.push({reference, runs: done});
		}
		return results;
	} finally {
		await browser.close();
	}
};
