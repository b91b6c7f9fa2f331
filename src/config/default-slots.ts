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
 * Measured again since, with fewer chunks a render: a third slot on 2 cores was 6-23 % faster on
 * light and long frames, but it set up its page beside a render's first chunk and delayed the live
 * stream's first segment by 0.25-0.45 s (first-frame-gate.ts lets it start once the first chunk has
 * a frame). Not kept until that gate holds it back longer (BENCHMARKS.md, "Where the long
 * composition's 9 % goes").
 */
export const defaultSlots = (): number => Math.max(1, Math.min(os.availableParallelism(), Math.floor(os.totalmem() / MEMORY_PER_SLOT_BYTES)));
