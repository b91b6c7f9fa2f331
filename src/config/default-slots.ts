import os from 'node:os';

const MEMORY_PER_SLOT_BYTES = 1.5 * 1024 ** 3;
const SLOTS_PER_CORE = 1.5;

/**
 * Worker slots when none are asked for: one and a half a core (3 on 2 cores), at most one per
 * 1.5 GB of memory (a 1080p slot peaked near 0.9 GB). A slot's page waits on Chromium between
 * frames, and on cheap frames one slot a core left a third of the cores idle, as plain
 * renderMedia() does. Two a core won while a chunk spent long setting up its page; with set-up
 * down to about 0.3 s, they only competed for the cores (on 2 cores, 2 slots against 4: heavy 60
 * frames 52.0-57.5 s against 59.1-70.3 s). A third slot on 2 cores was kept off while every
 * slot's x264 ran 1.5 threads a core and a silent render's chunks evaluated extra frames for
 * their audio: heavy frames then took 3-20 % longer with it. With each encoder on its share of
 * the cores, on an AMD EPYC of 2 cores (three rounds, sides alternating, against plain at
 * concurrency 2): light 90 frames 0.89-0.90 with 3 slots against 0.91-1.07 with 2, long 300
 * frames 0.83-0.84 against 1.03-1.07, heavy 60 frames 1.01-1.09 against 1.00-1.06, and the
 * live stream's first picture 1.26-1.47 s against 1.07-1.46 s (BENCHMARKS.md, findings).
 */
export const defaultSlots = (): number =>
	Math.max(1, Math.min(Math.floor(os.availableParallelism() * SLOTS_PER_CORE), Math.floor(os.totalmem() / MEMORY_PER_SLOT_BYTES)));

/**
 * Of a worker's slots, how many start a render's chunks beside its first one: one a core. The
 * others (the default's half slot a core, or more when asked for) wait until the first chunk has
 * ended (first-chunk-gate.ts), so they do not delay the live stream's first segment; the plan
 * knows (plan-for-watching.ts).
 */
export const slotsBesideFirstChunk = (): number => os.availableParallelism();
