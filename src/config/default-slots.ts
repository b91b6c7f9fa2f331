import os from 'node:os';

const MEMORY_PER_SLOT_BYTES = 1.5 * 1024 ** 3;

/**
 * Worker slots when none are asked for: two a core. A chunk spends part of its time setting up
 * its page and finishing its encode, and another slot renders meanwhile. On 2 cores (bench/farm.ts
 * against a warm serve): 300 light 1080p frames took 18.8 s with 2 slots, 16.6 s with 3 and 16.1 s
 * with 4; 1800 frames of 720p 76.6, 57.9 and 54.1 s; the CPU-bound heavy composition 95.5 s with 2
 * and 95.8 s with 4. A 1080p slot peaked near 0.9 GB, so there is at most one per 1.5 GB of memory.
 */
export const defaultSlots = (): number =>
	Math.max(1, Math.min(2 * os.availableParallelism(), Math.floor(os.totalmem() / MEMORY_PER_SLOT_BYTES)));
