import type {ChunkPlan} from './chunk-plan.js';

/**
 * Splits the durationInFrames frames from firstFrame on (0: from the start) into consecutive
 * chunks: of the sizes chunkFrames gives when it is given, else of framesPerChunk frames with the
 * last chunk taking what is left. Pure: the same input always gives the same plan, which is what
 * lets a restarted server trust the chunks it finished before.
 */
export const planChunks = ({
	durationInFrames,
	framesPerChunk,
	firstFrame = 0,
	chunkFrames,
}: {
	durationInFrames: number;
	framesPerChunk: number;
	firstFrame?: number;
	chunkFrames?: number[] | undefined;
}): ChunkPlan[] => {
	if (chunkFrames !== undefined) {
		return plannedSizes(durationInFrames, chunkFrames, firstFrame);
	}
	if (!Number.isInteger(durationInFrames) || durationInFrames < 1) {
		throw new RangeError(`durationInFrames must be a positive integer, got ${durationInFrames}`);
	}
	if (!Number.isInteger(framesPerChunk) || framesPerChunk < 1) {
		throw new RangeError(`framesPerChunk must be a positive integer, got ${framesPerChunk}`);
	}
	const chunks: ChunkPlan[] = [];
	for (let first = 0; first < durationInFrames; first += framesPerChunk) {
		const last = Math.min(first + framesPerChunk, durationInFrames) - 1;
		chunks.push({index: chunks.length, frameRange: [firstFrame + first, firstFrame + last]});
	}
	return chunks;
};

const plannedSizes = (durationInFrames: number, chunkFrames: number[], firstFrame: number): ChunkPlan[] => {
	if (!chunkFrames.every((size) => Number.isInteger(size) && size > 0) || chunkFrames.reduce((sum, size) => sum + size, 0) !== durationInFrames) {
		throw new RangeError(`chunkFrames must be positive integers adding up to ${durationInFrames}, got ${chunkFrames.join(', ')}`);
	}
	let first = firstFrame;
	return chunkFrames.map((size, index) => {
		const chunk: ChunkPlan = {index, frameRange: [first, first + size - 1]};
		first += size;
		return chunk;
	});
};

/** What the farm plans a render's chunks from when the client leaves their size to it. */
export type ChunkPlanning = {
	durationInFrames: number;
	maxFramesPerChunk: number;
	/** The worker slots the chunks are balanced over; null where not known (distributed mode). */
	slots: number | null;
	/**
	 * Of those, how many start a render beside its first chunk (one a core); the others start when
	 * it ends (first-chunk-gate.ts). All of them when not given.
	 */
	slotsBesideFirstChunk?: number;
};

/** The most frames a chunk gets when neither the request nor FRAMEFARM_FRAMES_PER_CHUNK says (see BENCHMARKS.md). */
export const DEFAULT_MAX_FRAMES_PER_CHUNK = 150;

/**
 * The chunk size when the client leaves it to the farm: at most maxFramesPerChunk frames, in a
 * number of chunks that is a multiple of the worker slots, so each slot gets the same share and
 * none finishes a round early. Without a known slot count, simply the maximum.
 */
export const balancedFramesPerChunk = ({durationInFrames, maxFramesPerChunk, slots}: ChunkPlanning): number => {
	if (slots === null || slots < 1) {
		return Math.min(maxFramesPerChunk, durationInFrames);
	}
	const rounds = Math.ceil(durationInFrames / (slots * maxFramesPerChunk));
	return Math.max(1, Math.ceil(durationInFrames / (slots * rounds)));
};
