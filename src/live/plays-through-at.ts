import type {ChunkRecord, RenderJob} from '../backend/render-record.js';
import {framesInChunk} from '../render/chunk-plan.js';
import {segmentTiming} from './live-stream.js';

/**
 * What a chunk costs its slot besides its frames, on a warm worker: before its first frame (the
 * tab, the composition, ffmpeg) and after its last (x264's flush, the remux, the live segment, the
 * upload). Measured 0.1-0.5 s and 0.5-0.7 s (docs/live-stream.md).
 */
const CHUNK_START_MS = 300;
const CHUNK_END_MS = 600;
/**
 * The estimate comes from a few chunks on a machine that others share, and a player needs the
 * next segment before it gets there: each chunk is taken for this much longer than its estimate,
 * and the start put off by MARGIN_MS more.
 */
const SLACK = 1.15;
const MARGIN_MS = 500;

type Chunk = Pick<ChunkRecord, 'index' | 'frameRange' | 'status' | 'renderedFrames' | 'startedAt' | 'finishedAt'>;
type Job = Pick<RenderJob, 'composition' | 'options'>;

/**
 * When a viewer who starts the render's live stream from its first frame at 1x is expected to
 * watch it to the end without waiting for a chunk: each chunk not yet in must be before the viewer
 * gets to its first frame. Estimated from the pace of the chunks rendered so far: the chunks
 * rendering now go on at it, the rest go in order to the first of them to end (as many slots as
 * are rendering now). Null while no frame is rendered; once every chunk is in, when the last was.
 *
 * Playing at once from the first segment, a viewer of a render planned for watching sees its short
 * first chunks and then waits for the longer ones (docs/live-stream.md): the player shows the first
 * picture and starts playing at this time instead, so the waiting comes once, before playback.
 */
export const livePlaysThroughAt = ({job, chunks, now}: {job: Job; chunks: Chunk[]; now: number}): number | null => {
	if (chunks.length > 0 && chunks.every((chunk) => chunk.status === 'done')) {
		return Math.max(...chunks.map((chunk) => chunk.finishedAt ?? 0));
	}
	const msPerFrame = paceOf(chunks, now);
	if (msPerFrame === null) {
		return null;
	}
	const rendering = chunks.filter((chunk) => chunk.status === 'rendering');
	const inAt = new Map<number, number>();
	const slotsFreeAt = rendering.map((chunk) => {
		const firstFrameAt = Math.max(now, (chunk.startedAt ?? now) + CHUNK_START_MS);
		const end = firstFrameAt + (framesInChunk(chunk) - chunk.renderedFrames) * msPerFrame + CHUNK_END_MS;
		inAt.set(chunk.index, end);
		return end;
	});
	if (slotsFreeAt.length === 0) {
		slotsFreeAt.push(now);
	}
	for (const chunk of chunks.filter((each) => each.status === 'pending').sort((a, b) => a.index - b.index)) {
		const slot = slotsFreeAt.indexOf(Math.min(...slotsFreeAt));
		const end = slotsFreeAt[slot]! + CHUNK_START_MS + framesInChunk(chunk) * msPerFrame + CHUNK_END_MS;
		slotsFreeAt[slot] = end;
		inAt.set(chunk.index, end);
	}
	let startAt = now;
	for (const chunk of chunks) {
		const end = inAt.get(chunk.index);
		if (end !== undefined) {
			startAt = Math.max(startAt, now + (end - now) * SLACK + MARGIN_MS - segmentTiming(job, chunk).startSeconds * 1000);
		}
	}
	return Math.round(startAt);
};

/**
 * A slot's time per frame: the frames of the chunks started, over the time they have had to render
 * them (a chunk's start and end are not frames); or, where it is slower, the farm's rate since the
 * render's first chunk started shared among the slots rendering now. Slots past the cores start
 * late (first-chunk-gate.ts), so the first chunks rendered with a core each and the later ones
 * share them: on 3 slots of 2 cores a frame then takes half as long again, and a viewer started
 * from the early pace caught up with the render (a stall of 634 ms on the long composition at
 * 1.17x, BENCHMARKS.md). Null before a frame is rendered.
 */
const paceOf = (chunks: Chunk[], now: number): number | null => {
	let frames = 0;
	let ms = 0;
	for (const chunk of chunks) {
		if (chunk.startedAt === null || chunk.renderedFrames === 0) {
			continue;
		}
		const until = chunk.status === 'done' && chunk.finishedAt !== null ? chunk.finishedAt - CHUNK_END_MS : now;
		frames += chunk.renderedFrames;
		ms += Math.max(1, until - chunk.startedAt - CHUNK_START_MS);
	}
	if (frames === 0) {
		return null;
	}
	const firstStart = Math.min(...chunks.map((chunk) => chunk.startedAt ?? now));
	const slots = chunks.filter((chunk) => chunk.status === 'rendering').length;
	return Math.max(ms / frames, (slots * Math.max(1, now - firstStart - CHUNK_START_MS)) / frames);
};
