import {balancedFramesPerChunk, type ChunkPlanning} from './plan-chunks.js';

/** Frames of a render's first chunk when it is planned for watching: its segment is the first picture. */
export const FIRST_CHUNK_FRAMES = 6;
/** Each chunk of the ramp this much longer than the one before it, so the next is in before the viewer needs it. */
const GROWTH = 1.5;
/**
 * What setting up a chunk costs its slot, in frames' worth of rendering: a new tab, the
 * composition, ffmpeg, the chunk stored (0.3-0.5 s on a warm worker; a 1080p frame of the light
 * composition takes 0.1-0.16 s a slot). Used only to weigh the plan, never to time anything.
 */
const SETUP_FRAMES = 4;
/**
 * The longest a slot waits for the first chunk to end (first-chunk-gate.ts, 1 s from when both
 * started), in frames' worth as above.
 */
const FIRST_CHUNK_WAIT_FRAMES = 8;
/** The most the extra chunks of the ramp may cost, as a share of the render (by the weight above). */
const SETUP_BUDGET = 0.02;
/**
 * Past that, a plan may still end, by the same weight, within this share of the even plan's end
 * weighed the same way: what a render too short for an extra chunk by SETUP_BUDGET may spend on
 * its short first chunk.
 */
const TIME_BUDGET = 0.01;

/**
 * The frames of each chunk, in order, for a render someone may watch while it renders (see
 * docs/live-stream.md): a short first chunk so the first segment comes fast, each next one
 * GROWTH times longer while the set-up budget lasts, then chunks of at most maxFramesPerChunk
 * sized so that every slot ends at the same time. Slots take chunks in order, each the next one
 * when it is free, so the plan is laid out the way they will take it: which slot frees first is
 * found by weighing each chunk as its frames plus SETUP_FRAMES, the slots after the first
 * starting late (they wait for the first chunk's first frame, or its end: see slotLoads).
 *
 * The ramp goes on while its extra chunks cost at most SETUP_BUDGET of the render, or the plan
 * still ends within TIME_BUDGET of the even plan: the even plan leaves the first slot a set-up
 * idle at its end (the others started a set-up late), so a short first chunk often costs nothing
 * there, and 90 frames on 2 slots are 6, 45 and 39 frames. With more slots than cores (the
 * default's 3 on 2), TIME_BUDGET admits the short first chunk alone: 300 frames are 6, 102, 97
 * and 95, where 6, 9, 14, 98, 91 and 82 cost light 1.02-1.04 of equal chunks (docs/live-stream.md).
 *
 * Null when even the short first chunk would cost more: the even plan serves.
 * Pure, like planChunks(): the sizes are stored with the job, so a restart keeps the plan.
 */
export const chunkSizesForWatching = ({durationInFrames, maxFramesPerChunk, slots, slotsBesideFirstChunk}: ChunkPlanning): number[] | null => {
	const evenSize = balancedFramesPerChunk({durationInFrames, maxFramesPerChunk, slots});
	const evenChunks = Math.ceil(durationInFrames / evenSize);
	const slotCount = Math.max(1, Math.min(slots ?? 1, evenChunks));
	const besideFirst = slotsBesideFirstChunk ?? slotCount;
	const extraAllowed = Math.floor((SETUP_BUDGET * durationInFrames) / SETUP_FRAMES);
	const evenEnd = plannedEnd(
		Array.from({length: evenChunks}, (_, index) => Math.min(evenSize, durationInFrames - index * evenSize)),
		slotCount,
		besideFirst,
	);

	const ramp: number[] = [];
	let best: number[] | null = null;
	for (let size = FIRST_CHUNK_FRAMES; size < evenSize; size = Math.ceil(size * GROWTH)) {
		const left = durationInFrames - ramp.reduce((sum, frames) => sum + frames, 0) - size;
		// Whatever the ramp leaves must still give every slot a chunk no shorter than this one.
		if (left < slotCount * size) {
			break;
		}
		ramp.push(size);
		const plan = [...ramp, ...fillEvenly(left, maxFramesPerChunk, slotLoads(ramp, slotCount, besideFirst), ramp.length)];
		// The room the time budget counts on is a slot's idle time. Where slots outnumber the
		// cores, the cores stay busy and a chunk's set-up is work the render waits for: there it
		// pays for the short first chunk only.
		const roomForRamp = ramp.length === 1 || besideFirst >= slotCount;
		if (plan.length - evenChunks > extraAllowed && !(roomForRamp && plannedEnd(plan, slotCount, besideFirst) <= evenEnd * (1 + TIME_BUDGET))) {
			break;
		}
		best = plan;
	}
	return best;
};

/**
 * Each slot's load once the chunks are dealt, in frames' worth. Every slot takes a chunk at once,
 * in order; the slots after the first wait for the first chunk (first-chunk-gate.ts): those up to
 * one a core for its first frame, about a set-up, the rest for its end. Later chunks go to the
 * slot that frees first.
 */
const slotLoads = (sizes: number[], slotCount: number, besideFirst: number): number[] => {
	const firstEnds = Math.min((sizes[0] ?? 0) + SETUP_FRAMES, FIRST_CHUNK_WAIT_FRAMES);
	const loads = Array.from({length: slotCount}, (_, slot) => (slot === 0 ? 0 : slot < besideFirst ? SETUP_FRAMES : firstEnds));
	sizes.forEach((frames, dealt) => {
		loads[nextSlot(loads, dealt)]! += frames + SETUP_FRAMES;
	});
	return loads;
};

/** When the last slot ends, by the same weight. */
const plannedEnd = (sizes: number[], slotCount: number, besideFirst: number): number => Math.max(...slotLoads(sizes, slotCount, besideFirst));

/** The slot the queue hands the next chunk to: each slot its first in order, then the one that frees first (ties: the lowest). */
const nextSlot = (loads: number[], dealt: number, among: number[] = loads.map((_, index) => index)): number =>
	dealt < loads.length && among.includes(dealt) ? dealt : among.reduce((best, index) => (loads[index]! < loads[best]! ? index : best), among[0]!);

/**
 * The remaining frames as rounds of one chunk a slot, each slot's share sized so all end at the
 * same time, in the order the slots will take them. A slot already too far behind sits out. A
 * chunk may pass maxFramesPerChunk by up to MAX_OVERSHOOT rather than cost a round more.
 */
const fillEvenly = (frames: number, maxFramesPerChunk: number, startLoads: number[], dealt: number): number[] => {
	for (let rounds = Math.ceil(frames / (startLoads.length * maxFramesPerChunk)); ; rounds++) {
		const shares = slotShares(frames, rounds, startLoads);
		if (Math.max(...shares.values()) <= rounds * maxFramesPerChunk * MAX_OVERSHOOT) {
			return dealRounds(shares, rounds, startLoads, dealt);
		}
	}
};

const MAX_OVERSHOOT = 1.1;

/** Frames for each slot taking part, so that all end together. */
const slotShares = (frames: number, rounds: number, startLoads: number[]): Map<number, number> => {
	let active = startLoads.map((_, index) => index);
	let end = 0;
	for (;;) {
		end = (active.reduce((sum, index) => sum + startLoads[index]!, 0) + frames + rounds * active.length * SETUP_FRAMES) / active.length;
		const mostLoaded = active.reduce((worst, index) => (startLoads[index]! > startLoads[worst]! ? index : worst), active[0]!);
		if (active.length === 1 || end - startLoads[mostLoaded]! - rounds * SETUP_FRAMES >= rounds) {
			break;
		}
		active = active.filter((index) => index !== mostLoaded);
	}
	// Whole frames for each slot, the remainder to the slots that free first.
	const shares = new Map(active.map((index) => [index, Math.floor(end - startLoads[index]! - rounds * SETUP_FRAMES)]));
	let left = frames - [...shares.values()].reduce((sum, share) => sum + share, 0);
	for (const index of [...active].sort((a, b) => startLoads[a]! - startLoads[b]! || a - b)) {
		const add = Math.ceil(left / Math.max(1, active.length));
		shares.set(index, shares.get(index)! + Math.min(add, left));
		left -= Math.min(add, left);
	}
	return shares;
};

/** Each slot's share cut into its rounds, then dealt in the order the queue will deal them. */
const dealRounds = (shares: Map<number, number>, rounds: number, startLoads: number[], dealtBefore: number): number[] => {
	const active = [...shares.keys()];
	const pending = new Map(active.map((index) => [index, splitEvenly(shares.get(index)!, rounds)]));
	const loads = [...startLoads];
	const sizes: number[] = [];
	for (;;) {
		const waiting = active.filter((index) => pending.get(index)!.length > 0);
		if (waiting.length === 0) {
			return sizes;
		}
		const next = nextSlot(loads, dealtBefore + sizes.length, waiting);
		const size = pending.get(next)!.shift()!;
		sizes.push(size);
		loads[next]! += size + SETUP_FRAMES;
	}
};

const splitEvenly = (frames: number, parts: number): number[] =>
	Array.from({length: parts}, (_, part) => Math.floor(frames / parts) + (part < frames % parts ? 1 : 0)).filter((size) => size > 0);
