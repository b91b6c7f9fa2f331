import fs from 'node:fs';
import path from 'node:path';
import {bundleSite} from '../src/render/bundle-site.js';
import {findBrowser} from '../src/render/find-browser.js';
import {loadConfig} from '../src/config/load-config.js';
import {fasterThanRealTime, referenceCompositions, type Reference} from './compositions.js';
import {renderOnFarm, startFarm, type Farm, type FarmRun} from './farm.js';
import {loadRoute, measureTtfb, type LoadResult, type TtfbResult} from './load.js';
import {describeMachine} from './machine.js';
import {renderPlain} from './plain.js';
import {processTreeMemory, sampleMemory} from './process-tree-memory.js';
import {liveSection, spliceLiveSection, writeReport, type CompositionResult, type LoadedResult, type MemoryResult} from './report.js';
import {benchLive} from './live.js';
import {benchStitch} from './stitch-bench.js';
import {startBackgroundLoad} from './background-load.js';
import {balancedFramesPerChunk} from '../src/render/plan-chunks.js';
import {chunkSizesForWatching} from '../src/render/plan-for-watching.js';
import {slotsBesideFirstChunk} from '../src/config/default-slots.js';

// npm run bench [-- --quick]: framefarm against plain renderMedia() on this machine, written to BENCHMARKS.md.
// npm run bench -- --live: only "Watching while it renders", measured again into BENCHMARKS.md.
const quick = process.argv.includes('--quick');
const liveOnly = process.argv.includes('--live');
const runs = quick ? 1 : 3;
const say = (line: string) => process.stdout.write(`bench: ${line}\n`);

const config = loadConfig();
const siteDir = await bundleSite({cacheDir: config.cacheDir});
const browser = await findBrowser(config.browserExecutable);
const machine = describeMachine(browser);
say(`${machine.cores} cores, ${machine.cpu}, ${machine.memoryGb} GB; ${quick ? 'quick' : 'full'} run`);
const references = referenceCompositions(quick);
// Watched while they render: the references, and one the farm renders faster than real time.
const watched = [...references, fasterThanRealTime(quick)];
const watchRuns = quick ? 1 : 2;

// Plain Remotion at its best: every concurrency up to the core count, on the first frames.
const bestConcurrency = async (reference: Reference): Promise<number> => {
	let best = {concurrency: 1, wallMs: Infinity};
	for (let concurrency = 1; concurrency <= machine.cores; concurrency++) {
		const {wallMs} = await renderPlain({reference, serveUrl: siteDir, browser, concurrency, frames: Math.min(60, reference.durationInFrames)});
		say(`  plain ${reference.name}, concurrency ${concurrency}: ${wallMs} ms for the first frames`);
		if (wallMs < best.wallMs) {
			best = {concurrency, wallMs};
		}
	}
	return best.concurrency;
};

const farm: Farm = await startFarm();
say(`farm on ${farm.url} with ${farm.slots} slots`);
await renderOnFarm(farm, {...references[0]!, durationInFrames: 30}); // warm: browsers open, pages cached

if (liveOnly) {
	say('watching while it renders: first segment, first frame in a browser (hls.js), playback start, stalls at 1x');
	const live = await benchLive(farm, watched, watchRuns);
	await farm.stop();
	const file = path.resolve(import.meta.dirname, '..', 'BENCHMARKS.md');
	const note = `Measured again on ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --live\`, after the run the rest of this file comes from, on ${machine.cpu} (${machine.cores} cores, a fresh page ${machine.pageFaultMicros.toFixed(1)} µs, huge pages '${machine.hugePages.anonymous}'): figures of this section are not to be set against the tables above.`;
	if (quick) {
		process.stdout.write(`${liveSection(live, note).join('\n')}\n`);
	} else {
		fs.writeFileSync(file, spliceLiveSection(fs.readFileSync(file, 'utf8'), live, note));
		say(`wrote the watching section of ${path.relative(process.cwd(), file)}`);
	}
	process.exit(0);
}

const compositions: CompositionResult[] = [];
const farmPeaks: number[] = [];
const plainPeaks: number[] = [];
for (const reference of references) {
	const concurrency = await bestConcurrency(reference);
	// The same render cut into equal chunks, as before the plan for watching: what that plan costs.
	const evenSize = balancedFramesPerChunk({durationInFrames: reference.durationInFrames, maxFramesPerChunk: config.framesPerChunk, slots: farm.slots});
	const planning = {durationInFrames: reference.durationInFrames, maxFramesPerChunk: config.framesPerChunk, slots: farm.slots, slotsBesideFirstChunk: slotsBesideFirstChunk()};
	const plannedForWatching = chunkSizesForWatching(planning) !== null;
	const farmRuns: FarmRun[] = [];
	const evenMs: number[] = [];
	const plainMs: number[] = [];
	// Each side takes each place in the order once in three runs: a render right after plain's was
	// measured slower (plain's browser closing, the bench process collecting its garbage).
	const sides = ['farm', 'even', 'plain'] as const;
	for (let run = 1; run <= runs; run++) {
		const times: Partial<Record<(typeof sides)[number], string>> = {};
		for (const side of [...sides.slice((run - 1) % 3), ...sides.slice(0, (run - 1) % 3)]) {
			if (side === 'farm') {
				const memory = sampleMemory(farm.pid);
				const farmRun = await renderOnFarm(farm, reference);
				farmPeaks.push(await memory.stop());
				farmRuns.push(farmRun);
				times.farm = `framefarm ${farmRun.wallMs} ms in ${farmRun.chunks} chunks (stitch ${farmRun.stitchMs} ms)`;
			} else if (side === 'even' && plannedForWatching) {
				// Sampled as the other two sides are: reading every process's memory from /proc each
				// second slows the renders it reads (heavy: see findings), so all sides bear it alike.
				const memory = sampleMemory(farm.pid);
				const even = await renderOnFarm(farm, reference, {framesPerChunk: evenSize});
				await memory.stop();
				evenMs.push(even.wallMs);
				times.even = `in ${even.chunks} equal chunks ${even.wallMs} ms`;
			} else if (side === 'plain') {
				// Plain renders in this process: its tree is this process, its browser and ffmpeg.
				const plainMemory = sampleMemory(process.pid);
				const plain = await renderPlain({reference, serveUrl: siteDir, browser, concurrency});
				plainPeaks.push(await plainMemory.stop());
				plainMs.push(plain.wallMs);
				times.plain = `plain ${plain.wallMs} ms at concurrency ${concurrency}`;
			}
		}
		say(`${reference.name} run ${run}: ${Object.values(times).join(', ')}`);
	}
	compositions.push({reference, plainConcurrency: concurrency, farmRuns, plainMs, farmMs: farmRuns.map((run) => run.wallMs), evenMs});
}

say('under a background load of one busy core (yes > /dev/null)');
const loaded: LoadedResult[] = [];
for (const {reference, plainConcurrency} of compositions) {
	const load = startBackgroundLoad();
	try {
		const farmRun = await renderOnFarm(farm, reference);
		const plain = await renderPlain({reference, serveUrl: siteDir, browser, concurrency: plainConcurrency});
		say(`${reference.name} loaded: framefarm ${farmRun.wallMs} ms, plain ${plain.wallMs} ms`);
		loaded.push({reference, farmMs: farmRun.wallMs, plainMs: plain.wallMs});
	} finally {
		await load.stop();
	}
}

say('overhead: submit to first frame on warm workers');
const small: Reference = {...references[0]!, width: 1280, height: 720, durationInFrames: 30};
const firstFrames: FarmRun[] = [];
for (let i = 0; i < 5; i++) {
	firstFrames.push(await renderOnFarm(farm, small, {pollMs: 20}));
}

say('watching while it renders: first segment, first frame in a browser (hls.js), stalls at 1x');
const live = await benchLive(farm, watched, watchRuns);

say('stitching');
const stitch = await benchStitch({reference: references[0]!, siteDir, browser, totals: [300, 1800, 9000]});

say('progress routes under load while a render runs');
// The long composition, cancelled once measured: the routes are loaded while chunks render.
const longest = references[2]!;
const submitted = await farm.request('POST', '/api/render', {
	inputProps: {code: longest.code, durationInFrames: 1800, fps: longest.fps},
	width: longest.width,
	height: longest.height,
});
const active = submitted.body.renderId as string;
while (!((await farm.request('GET', `/api/render/${active}/progress`)).body.framesRendered > 0)) {
	await new Promise((resolve) => setTimeout(resolve, 100));
}
const progressRoutes = [`/api/render/${active}/progress`, `/api/render/${active}`];
const loadFor = {rate: 500, seconds: quick ? 5 : 10};
const ttfb: TtfbResult[] = [];
const load: LoadResult[] = [];
for (const route of progressRoutes) {
	ttfb.push(await measureTtfb(farm, route, 100));
	load.push(await loadRoute(farm, route, loadFor));
}
const stillRendering = (await farm.request('GET', `/api/render/${active}/progress`)).body.done === false;
await farm.request('DELETE', `/api/render/${active}`);
await new Promise((resolve) => setTimeout(resolve, 2000)); // the cancelled chunks stop
const loadIdle: LoadResult[] = [];
for (const route of progressRoutes) {
	loadIdle.push(await loadRoute(farm, route, loadFor));
}

const consecutive = quick ? 10 : 50;
say(`memory over ${consecutive} consecutive renders`);
const afterEach: number[] = [];
const peak = sampleMemory(farm.pid);
for (let i = 0; i < consecutive; i++) {
	await renderOnFarm(farm, small);
	afterEach.push(await processTreeMemory(farm.pid));
}
const memory: MemoryResult = {slots: farm.slots, peakDuringReferences: Math.max(...farmPeaks), plainPeak: Math.max(...plainPeaks), peakOverConsecutive: await peak.stop(), afterEach};
await farm.stop();

const report = writeReport({machine, quick, runs, compositions, loaded, firstFrames, stitch, live, ttfb, load, loadIdle, loadDuringRender: stillRendering, memory});
const file = path.resolve(import.meta.dirname, '..', quick ? 'BENCHMARKS.quick.md' : 'BENCHMARKS.md');
fs.writeFileSync(file, report.markdown);
say(`wrote ${path.relative(process.cwd(), file)}`);
process.stdout.write(`${report.summary}\n`);
