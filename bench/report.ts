import fs from 'node:fs';
import type {Reference} from './compositions.js';
import type {FarmRun} from './farm.js';
import type {LiveRun} from './live.js';
import type {LoadResult, TtfbResult} from './load.js';
import type {Machine} from './machine.js';
import {mb, median, ms, ratio, seconds} from './stats.js';
import type {StitchTiming} from './stitch-bench.js';

export type CompositionResult = {
	reference: Reference;
	plainConcurrency: number;
	farmRuns: FarmRun[];
	farmMs: number[];
	/** The same renders cut into equal chunks (empty when the plan for watching leaves them equal). */
	evenMs: number[];
	plainMs: number[];
};
/** One render each side while `yes` keeps a core busy. */
export type LoadedResult = {reference: Reference; farmMs: number; plainMs: number};
export type MemoryResult = {slots: number; peakDuringReferences: number; plainPeak: number; peakOverConsecutive: number; afterEach: number[]};

type Inputs = {
	machine: Machine;
	quick: boolean;
	runs: number;
	compositions: CompositionResult[];
	loaded: LoadedResult[];
	firstFrames: FarmRun[];
	stitch: StitchTiming[];
	live: {reference: Reference; runs: LiveRun[]}[];
	ttfb: TtfbResult[];
	load: LoadResult[];
	/** The same load with no render running: what this machine and its load generator allow. */
	loadIdle: LoadResult[];
	loadDuringRender: boolean;
	memory: MemoryResult;
};

// Issue 22's targets: framefarm / plain per composition, and the ratio under load within 10 % of it.
const RATIO_TARGETS: Record<string, number> = {light: 0.9, heavy: 0.95, long: 0.9};
const TARGETS = {loadedDrift: 0.1, evenPlan: 1.03, firstFrameMs: 300, stitchShare: 0.02, p99Ms: 10, memoryGrowth: 0.1, firstPictureMs: 1500};
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** Markdown for BENCHMARKS.md and a one-line summary, from one run's figures. */
export const writeReport = (inputs: Inputs): {markdown: string; summary: string} => {
	const {machine, compositions, memory} = inputs;
	const rows = compositions.map((c) => {
		const farm = median(c.farmMs);
		const plain = median(c.plainMs);
		const stitchShare = median(c.farmRuns.map((run) => run.stitchMs / run.wallMs));
		return {c, farm, plain, ratio: farm / plain, stitchShare};
	});
	const firstChunk = median(inputs.firstFrames.map((run) => run.toFirstChunkMs));
	const firstFrame = median(inputs.firstFrames.map((run) => run.toFirstFrameMs));
	const worstP99 = Math.max(...inputs.load.map((l) => l.p99Ms));
	const firstFive = median(memory.afterEach.slice(0, 5));
	const lastFive = median(memory.afterEach.slice(-5));
	const growth = (lastFive - firstFive) / firstFive;

	const lines = [
		'# Benchmarks',
		'',
		`Produced by \`npm run bench${inputs.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}; ${inputs.runs} run(s) per composition, framefarm and plain Remotion alternating. Figures from one run on one machine; the machine is shared, so expect a few percent of noise. The sides take turns at going first from one run to the next.`,
		'',
		'## Machine',
		'',
		`- CPU: ${machine.cpu}, ${machine.cores} cores available; ${machine.memoryGb} GB memory; ${machine.os}`,
		`- Node ${machine.node}; Remotion ${machine.remotion}; ${machine.browser}`,
		`- Memory: a fresh 4 KiB page took ${machine.pageFaultMicros.toFixed(1)} µs to touch; transparent huge pages '${machine.hugePages.anonymous ?? 'unknown'}', for shared memory '${machine.hugePages.shared ?? 'unknown'}'`,
		...otherMachines(),
		'',
		'## Reference compositions: framefarm against plain `renderMedia()`',
		'',
		`framefarm: \`framefarm serve\` in its own process (embedded mode, its default of ${memory.slots} worker slots, warm), each render submitted over HTTP and its progress polled every 100 ms until done. Plain: one \`renderMedia()\` call (it opens its own browser) with the same bundle, browser binary and GL backend, at the concurrency that was fastest on the first frames of that composition.`,
		'',
		'| composition | frames | framefarm (median) | chunks | plain (median) | framefarm / plain | target | framefarm fps | plain fps | stitch share |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows.map(({c, farm, plain, ratio: r, stitchShare}) =>
			[
				`${c.reference.name} (${c.reference.description})`,
				c.reference.durationInFrames,
				seconds(farm),
				c.farmRuns[0]?.chunks ?? '',
				`${seconds(plain)} (concurrency ${c.plainConcurrency})`,
				ratio(r),
				`≤ ${ratio(RATIO_TARGETS[c.reference.name] ?? 1)}: ${mark(r <= (RATIO_TARGETS[c.reference.name] ?? 1))}`,
				(c.reference.durationInFrames / (farm / 1000)).toFixed(1),
				(c.reference.durationInFrames / (plain / 1000)).toFixed(1),
				`${(stitchShare * 100).toFixed(1)} %`,
			].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
		),
		'',
		'All runs (ms):',
		'',
		...compositions.map((c) => `- ${c.reference.name}: framefarm ${c.farmMs.join(', ')};${c.evenMs.length === 0 ? '' : ` in equal chunks ${c.evenMs.join(', ')};`} plain ${c.plainMs.join(', ')}`),
		'',
		'### The plan for watching against equal chunks',
		'',
		'The farm cuts a render with a live stream into a short first chunk and longer ones after it (docs/live-stream.md); each run above also rendered the same composition in equal chunks (the size the farm chose before, sent as `framesPerChunk`), the three sides taking turns at going first.',
		'',
		'| composition | planned for watching (median) | equal chunks (median) | ratio | target ≤ 1.03 |',
		'| --- | --- | --- | --- | --- |',
		...compositions.map((c) =>
			c.evenMs.length === 0
				? `| ${c.reference.name} | ${seconds(median(c.farmMs))} | the same plan (too short for a short first chunk) | | |`
				: `| ${c.reference.name} | ${seconds(median(c.farmMs))} | ${seconds(median(c.evenMs))} | ${ratio(median(c.farmMs) / median(c.evenMs))} | ${mark(median(c.farmMs) / median(c.evenMs) <= TARGETS.evenPlan)} |`,
		),
		'',
		'### Under a background load',
		'',
		'One more render each side while `yes > /dev/null` (started and stopped by the bench, in a session of its own, at normal priority) keeps one core busy.',
		'',
		'| composition | framefarm | plain | framefarm / plain loaded | unloaded (median) | change | target within 10 % |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...inputs.loaded.map((l) => {
			const unloaded = rows.find((row) => row.c.reference.name === l.reference.name)!.ratio;
			const change = l.farmMs / l.plainMs / unloaded - 1;
			return `| ${l.reference.name} | ${seconds(l.farmMs)} | ${seconds(l.plainMs)} | ${ratio(l.farmMs / l.plainMs)} | ${ratio(unloaded)} | ${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)} % | ${mark(change <= TARGETS.loadedDrift)} |`;
		}),
		'',
		'## framefarm overhead',
		'',
		`- Submit to the first chunk taken by a warm slot: ${Math.round(firstChunk)} ms (median of ${inputs.firstFrames.length}, from the render log).`,
		`- Submit to the first rendered frame seen by a client polling every 20 ms: ${Math.round(firstFrame)} ms; target ≤ ${TARGETS.firstFrameMs} ms: ${mark(firstFrame <= TARGETS.firstFrameMs)}.`,
		`- Stitch share of the total (target ≤ 2 %): ${rows.map((r) => `${r.c.reference.name} ${(r.stitchShare * 100).toFixed(1)} %`).join(', ')}: ${mark(rows.every((r) => r.stitchShare <= TARGETS.stitchShare))}.`,
		'',
		'Stitching alone (`combineChunks()`, one real 1080p chunk of 60 frames joined N/60 times; ffprobe counts the frames of the result):',
		'',
		'| frames | stitch time | frames/s | frames probed | codec |',
		'| --- | --- | --- | --- | --- |',
		...inputs.stitch.map((s) => `| ${s.frames} | ${s.stitchMs} ms | ${Math.round(s.framesPerSecond)} | ${s.probedFrames} | ${s.codec} |`),
		'',
		'At these rates the video is copied, not encoded: an h264 encode of 1080p on this machine runs at the fps in the table above.',
		'',
		...liveSection(inputs.live),
		'## Progress routes',
		'',
		`Measured ${inputs.loadDuringRender ? 'while a 1800-frame render was running' : '(the render finished before the load ended)'}.`,
		'',
		'An open-loop load (`bench/load.ts`): one request every 2 ms on a fixed schedule over keep-alive connections, each latency counted from when its request was due. The generator runs in a process of its own on the same cores; "send lag" is how late it sent (p99), its own share of the latency.',
		'',
		'| route | time to first byte p50 / p99 (one at a time) | load: target rate | requests/s | p50 | p99 | max | send lag p99 | non-2xx | target p99 ≤ 10 ms |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...inputs.load.map((l, i) => {
			const t = inputs.ttfb[i]!;
			return `| \`${l.route.replace(/[a-z0-9]{12}/, '{id}')}\` | ${t.p50Ms.toFixed(1)} / ${t.p99Ms.toFixed(1)} ms | ${l.targetRate}/s | ${Math.round(l.requestsPerSecond)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${ms(l.maxMs)} | ${ms(l.sendLagP99Ms)} | ${l.non2xx + l.errors} | ${mark(l.p99Ms <= TARGETS.p99Ms)} |`;
		}),
		'',
		'The same load once the render was cancelled, nothing rendering (the floor this machine and the generator, running on it, allow):',
		'',
		'| route | requests/s | p50 | p99 | max | send lag p99 |',
		'| --- | --- | --- | --- | --- | --- |',
		...inputs.loadIdle.map((l) => `| \`${l.route.replace(/[a-z0-9]{12}/, '{id}')}\` | ${Math.round(l.requestsPerSecond)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${ms(l.maxMs)} | ${ms(l.sendLagP99Ms)} |`),
		'',
		'## Memory',
		'',
		`PSS of the serve process and all its children (browsers, ffmpeg), from /proc.`,
		'',
		`- Peak during the reference renders: ${mb(memory.peakDuringReferences)}, ${mb(memory.peakDuringReferences / memory.slots)} per worker slot (${memory.slots} slots); plain \`renderMedia()\`: ${mb(memory.plainPeak)} (the bench process, its browser and ffmpeg).`,
		`- Over ${memory.afterEach.length} consecutive renders: peak ${mb(memory.peakOverConsecutive)}; after each render: first five ${mb(firstFive)}, last five ${mb(lastFive)} (${(growth * 100).toFixed(1)} %); flat, no growth above ${TARGETS.memoryGrowth * 100} % (which browsers a render happens to wake moves it up and down): ${mark(growth <= TARGETS.memoryGrowth)}.`,
		`- After each render (MB): ${memory.afterEach.map((bytes) => Math.round(bytes / 1024 / 1024)).join(', ')}`,
		'',
		// What was learned from the figures is kept by hand next to the benchmark and carried into each report.
		fs.readFileSync(new URL('./findings.md', import.meta.url), 'utf8'),
	];
	const summary = `framefarm/plain ${rows.map((r) => `${r.c.reference.name} ${ratio(r.ratio)}`).join(', ')}; loaded ${inputs.loaded.map((l) => `${l.reference.name} ${ratio(l.farmMs / l.plainMs)}`).join(', ')}; first frame ${Math.round(firstFrame)} ms; stitch ≤ ${(Math.max(...rows.map((r) => r.stitchShare)) * 100).toFixed(1)} %; progress p99 ${ms(worstP99)} at 500/s; memory ${(growth * 100).toFixed(1)} % over ${memory.afterEach.length} renders`;
	return {markdown: lines.join('\n'), summary};
};

/** "Watching while it renders": the live stream of each reference, watched from the submit. */
export const liveSection = (live: {reference: Reference; runs: LiveRun[]}[], remeasured?: string): string[] => [
	'## Watching while it renders',
	'',
	...(remeasured === undefined ? [] : [remeasured, '']),
	"Each reference rendered on the warm farm and watched from the submit: the render's live playlist polled every 20 ms until it lists a segment (which ffprobe then decodes), then hls.js in the Debian Chromium playing it from its start at 1x to its end. As the dashboard's player does, the page holds the first picture until the progress object's `livePlaysThroughAt` (when the render is expected to stay ahead of a viewer at 1x), then plays. Plain `renderMedia()` offers nothing to watch until it has finished: its first picture comes at its whole render time (the table above).",
	'',
	'| composition | submit to first segment | submit to first frame in the browser | submit to playback start | stalls at 1x after the start (time waited beyond the video\'s length) | render done | video length | rendered at |',
	'| --- | --- | --- | --- | --- | --- | --- | --- |',
	...live.map(({reference, runs}) => {
		const stalls = runs.reduce((sum, run) => sum + run.stalls, 0);
		const stalled = runs.reduce((sum, run) => sum + run.stalledMs, 0);
		return `| ${reference.name} (${reference.width}×${reference.height}, ${reference.durationInFrames} frames) | ${seconds(median(runs.map((run) => run.toFirstSegmentMs)))} | ${seconds(median(runs.map((run) => run.toFirstFrameMs)))} | ${seconds(median(runs.map((run) => run.toPlayingMs)))} | ${stalls} (${ms(stalled)}) over ${runs.length} run(s) | ${seconds(median(runs.map((run) => run.wallMs)))} | ${seconds((reference.durationInFrames / reference.fps) * 1000)} | ${renderSpeed(reference, runs)} |`;
	}),
	'',
	(() => {
		const light = live.find(({reference}) => reference.name === 'light');
		const first = light === undefined ? NaN : median(light.runs.map((run) => run.toFirstFrameMs));
		return `First picture in the browser on the light composition: ${seconds(first)}; target ≤ ${seconds(TARGETS.firstPictureMs)}: ${mark(first <= TARGETS.firstPictureMs)}.`;
	})(),
	(() => {
		const fast = live.filter(({reference, runs}) => median(runs.map((run) => run.wallMs)) < (reference.durationInFrames / reference.fps) * 1000);
		const stalled = fast.filter(({runs}) => runs.some((run) => run.stalls > 0));
		return `No stall after the start on the compositions rendered faster than real time (${fast.map(({reference}) => reference.name).join(', ') || 'none'}): ${mark(fast.length > 0 && stalled.length === 0)}${stalled.length === 0 ? '' : ` (stalled: ${stalled.map(({reference}) => reference.name).join(', ')})`}.`;
	})(),
	'',
	'A stall is the picture standing still for 100 ms or more while playing (sampled every 20 ms). Playback can run without one only where the farm renders faster than real time ("rendered at" above 1×), and then only if each next segment is in before the viewer reaches it.',
	'',
];

/** A report with its watching section replaced by one measured since (`npm run bench -- --live`). */
export const spliceLiveSection = (markdown: string, live: {reference: Reference; runs: LiveRun[]}[], note: string): string => {
	const start = markdown.indexOf('## Watching while it renders');
	const end = markdown.indexOf('## Progress routes');
	if (start < 0 || end < start) {
		throw new Error('BENCHMARKS.md has no watching section to replace: run the whole bench first');
	}
	return markdown.slice(0, start) + liveSection(live, note).join('\n') + '\n' + markdown.slice(end);
};

/** The render's speed against playback at 1x: above 1x, the farm renders faster than real time. */
const renderSpeed = (reference: Reference, runs: LiveRun[]): string => {
	const videoMs = (reference.durationInFrames / reference.fps) * 1000;
	return `${(videoMs / median(runs.map((run) => run.wallMs))).toFixed(2)}×`;
};

/** Full runs kept from other kinds of machine (docs/benchmarks/), linked beside this one. */
const otherMachines = (): string[] => {
	const dir = new URL('../docs/benchmarks/', import.meta.url);
	const runs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort() : [];
	return runs.length === 0 ? [] : ['', `Full runs on other kinds of machine, kept as they were written: ${runs.map((name) => `[${name.replace(/\.md$/, '')}](docs/benchmarks/${name})`).join(', ')}.`];
};
