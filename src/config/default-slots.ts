import os from 'node:os';

const MEMORY_PER_SLOT_BYTES = 1.5 * 1024 ** 3;

/**
 * Worker slots when none are asked for: one and a half a core (one a core, plus one for every two
 * cores), at most one per 1.5 GB of memory (a 1080p slot peaked near 0.9 GB). A slot renders one
 * frame at a time, and between its page, Chromium's compositor and x264 it leaves its core idle a
 * third of the time on cheap frames: with one slot a core, 2 cores sat 22-24 CPU-s idle of 75 over
 * 900 frames of the benchmark's 720p slides, as plain renderMedia() at concurrency 2 did. A third
 * slot on 2 cores filled that (7 CPU-s idle): two warm serves alternating, 2 rounds each, on an
 * Intel Xeon of 2 cores: slides 900 frames 29.0-29.5 s against 37.9 s, light 1080p text 300 frames
 * 16.5-17.1 s against 17.6-18.8 s, heavy blur 120 frames 39.6-41.5 s against 38.6-40.2 s, where the
 * cores were already full (BENCHMARKS.md, "Where the time goes"). Four slots took heavy 5-8 % over.
 */
export const defaultSlots = (): number => {
	const cores = os.availableParallelism();
	return Math.max(1, Math.min(cores + Math.floor(cores / 2), Math.floor(os.totalmem() / MEMORY_PER_SLOT_BYTES)));
};
