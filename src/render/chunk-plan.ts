/** One frame-range chunk of a render. Frame numbers are inclusive, as in Remotion's frameRange. */
export type ChunkPlan = {
	index: number;
	frameRange: [first: number, last: number];
};

export const framesInChunk = (chunk: ChunkPlan): number => chunk.frameRange[1] - chunk.frameRange[0] + 1;
