import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {listedSegments, targetDuration} from './live-playlist.js';

/**
 * How long a playlist request may be held for a segment not yet in: HLS asks a server to hold a
 * blocking reload up to 3 target durations; at most 9 s, under hls.js's 10 s limit on a playlist's
 * first byte. A hold that ends with nothing new costs a player a reload interval (half a target
 * duration in hls.js), so it is no shorter than it may be. While nothing is listed (a render queued
 * or planning), the longest: each empty answer is one of the three hls.js allows.
 */
const MAX_HOLD_MS = 9_000;
const liveHoldMs = (targetSeconds: number, listed: number): number =>
	listed === 0 ? MAX_HOLD_MS : Math.min(MAX_HOLD_MS, Math.max(3_000, 3_000 * targetSeconds));
const POLL_MS = 50;

export type LiveState = {render: RenderRecord; chunks: ChunkRecord[]};

/**
 * A blocking playlist reload (HLS's `_HLS_msn`, advertised by CAN-BLOCK-RELOAD): reads the render
 * until its playlist lists `wanted` segments, the render is no longer running, the hold is over or
 * the client went away, and returns what it read last. So a player learns of a segment the moment
 * it is in, rather than a target duration later (5 s for a 300-frame render planned for watching).
 * A request without `_HLS_msn` waits for the first segment the same way: hls.js gives up on a live
 * playlist that stays empty three loads in a row (about 3 s), and a first chunk can take longer.
 */
export const holdLivePlaylist = async ({
	read,
	wanted,
	signal,
}: {
	read: () => Promise<LiveState>;
	wanted: number;
	signal: AbortSignal;
}): Promise<LiveState> => {
	let until = NaN;
	for (;;) {
		const state = await read();
		if (Number.isNaN(until)) {
			until = Date.now() + liveHoldMs(targetDuration(state.render.job, state.chunks), listedSegments(state.chunks));
		}
		const running = state.render.status === 'queued' || state.render.status === 'rendering';
		// A segment past the plan's last never comes: the last one is as far as a player can wait.
		const enough = listedSegments(state.chunks) >= Math.min(wanted, Math.max(1, state.chunks.length));
		if (!running || enough || signal.aborted || Date.now() + POLL_MS > until) {
			return state;
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
};
