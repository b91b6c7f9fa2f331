import os from 'node:os';

const MEMORY_PER_SLOT_BYTES = 1.5 * 1024 ** 3;

/**
 * Worker slots when none are asked for: one a core, at most one per 1.5 GB of memory (a 1080p slot
 * peaked near 0.9 GB). Two a core won while a chunk spent long setting up its page (a file server
 * and renderer process of its own, the bundle's source map parsed), because another slot rendered
 * meanwhile. With set-up down to about 0.3 s, the extra slots only competed for the cores. On 2
 * cores, two warm serves alternating, 3 renders each, 2 slots against 4: heavy 60 frames 52.0-57.5 s
 * against 59.1-70.3 s, light 150 frames 24.1-26.9 s against 24.1-28.5 s, long 450 frames
 * 35.1-37.7 s against 35.7-37.2 s, with 6-15 % less CPU time for each.
 * A third slot on 2 cores depends on the machine: 6-23 % faster on light and long frames on an
 * Intel Xeon, 3 % slower on heavy ones; on an AMD EPYC whose page faults cost 15-18 µs, light 150
 * frames 33.0-34.6 s against 27.7-35.8 s and long 450 frames 48.8-53.7 s against 48.2-50.3 s, with
 * the first chunk done a second later (BENCHMARKS.md, "Slots past the core count").
 */
export const defaultSlots = (): number => Math.max(1, Math.min(os.availableParallelism(), Math.floor(os.totalmem() / MEMORY_PER_SLOT_BYTES)));

/**
 * Of a worker's slots, how many start a render's chunks beside its first one: one a core. The
 * others (when more slots than cores are asked for) wait until the first chunk has ended
 * (first-chunk-gate.ts), so they do not delay the live stream's first segment; the plan knows
 * (plan-for-watching.ts).
 */
export const slotsBesideFirstChunk = (): number => os.availableParallelism();
