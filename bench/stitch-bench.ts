import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {compileCode} from '../src/code/compile-code.js';
import {createBrowserSlot} from '../src/render/browser-slot.js';
import {dynamicComposition} from '../src/render/dynamic-composition.js';
import type {BrowserChoice} from '../src/render/find-browser.js';
import {createNetworkPolicy} from '../src/render/network/network-policy.js';
import {probeVideo} from '../src/render/probe-video.js';
import {renderChunk} from '../src/render/render-chunk.js';
import {startSiteServer} from '../src/render/site-server.js';
import {stitchChunks} from '../src/render/stitch-chunks.js';
import type {Reference} from './compositions.js';

export type StitchTiming = {frames: number; stitchMs: number; framesPerSecond: number; probedFrames: number; codec: string};

const CHUNK_FRAMES = 60;

/**
 * Stitch time for long renders without rendering them: one real 60-frame chunk (h264 MPEG-TS
 * and PCM audio, as the workers make them), joined N times over. Stitching copies the
 * streams, so its time depends on the bytes and the chunk count, not on what the frames show.
 */
export const benchStitch = async ({reference, siteDir, browser, totals}: {reference: Reference; siteDir: string; browser: BrowserChoice; totals: number[]}): Promise<StitchTiming[]> => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-stitch-bench-'));
	const site = await startSiteServer(path.dirname(siteDir));
	const policy = createNetworkPolicy({allowedOrigins: [], siteOrigin: site.origin});
	const slot = createBrowserSlot(0, browser, policy, site.origin);
	try {
		const compiled = await compileCode(reference.code);
		const props = {js: compiled.js, exportName: compiled.exportName, durationInFrames: CHUNK_FRAMES, fps: reference.fps, width: reference.width, height: reference.height};
		const chunk = await renderChunk({
			browser: await slot.browser(),
			serveUrl: site.urlOf(path.basename(siteDir)),
			composition: dynamicComposition(props),
			inputProps: props,
			codec: 'h264',
			options: {},
			chunk: {index: 0, frameRange: [0, CHUNK_FRAMES - 1]},
			outDir: dir,
			attempt: 1,
			limits: {frameMs: 30_000, chunkMs: 600_000, renderMs: 3_600_000, memoryBytes: null},
			network: {policy, setPageNetwork: slot.setPageNetwork, onBlocked: () => undefined},
			encoderThreads: null,
		});
		const timings: StitchTiming[] = [];
		for (const frames of totals) {
			const outFile = path.join(dir, `stitched-${frames}.mp4`);
			const startedAt = Date.now();
			await stitchChunks({chunks: Array.from({length: frames / CHUNK_FRAMES}, () => chunk), outFile, codec: 'h264', options: {}, fps: reference.fps, durationInFrames: frames, frameRange: [0, frames - 1], everyNthFrame: 1});
			const stitchMs = Date.now() - startedAt;
			const probe = await probeVideo(outFile);
			timings.push({frames, stitchMs, framesPerSecond: frames / (stitchMs / 1000), probedFrames: probe.video?.frames ?? 0, codec: probe.video?.codec ?? 'none'});
			fs.rmSync(outFile);
		}
		return timings;
	} finally {
		await slot.close();
		await site.close();
		fs.rmSync(dir, {recursive: true, force: true});
	}
};
