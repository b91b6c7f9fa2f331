import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';
import {segmentTiming} from './live-stream.js';

/**
 * The HLS playlist (EVENT type) of a render's live stream: the finished chunks contiguous from the
 * first, each with its exact duration; a gap (a chunk still rendering) ends the list until it is
 * filled. It ends (#EXT-X-ENDLIST) once the last chunk is in, or when the render failed, with why.
 */
export const livePlaylist = ({
	render,
	chunks,
	segmentUrl,
}: {
	render: Pick<RenderRecord, 'status' | 'failure' | 'job'>;
	chunks: Pick<ChunkRecord, 'index' | 'frameRange' | 'status'>[];
	segmentUrl: (index: number) => string;
}): string => {
	const ordered = [...chunks].sort((a, b) => a.index - b.index);
	const ready = ordered.slice(0, listedSegments(ordered));
	const complete = ordered.length > 0 && ready.length === ordered.length;
	const target = targetDuration(render.job, ordered);
	const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-PLAYLIST-TYPE:EVENT', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0'];
	if (!complete && render.status !== 'error') {
		// A reload may ask for the next segment (_HLS_msn) and is answered once it is in (hold-live-playlist.ts).
		lines.push('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES');
	}
	for (const chunk of ready) {
		lines.push(`#EXTINF:${segmentTiming(render.job, chunk).seconds.toFixed(6)},`, segmentUrl(chunk.index));
	}
	if (render.status === 'error') {
		// Players ignore comment lines; a person reading the playlist sees why it ends here.
		lines.push(`# framefarm: the render failed: ${(render.failure ?? 'unknown error').replace(/\s+/g, ' ')}`);
	}
	// The last chunk is in (the stitch has yet to run), or nothing more will come.
	if (complete || render.status === 'error') {
		lines.push('#EXT-X-ENDLIST');
	}
	return `${lines.join('\n')}\n`;
};

/** How many segments a render's playlist lists: its done chunks contiguous from the first. */
export const listedSegments = (chunks: Pick<ChunkRecord, 'index' | 'status'>[]): number => {
	const ordered = [...chunks].sort((a, b) => a.index - b.index);
	const gap = ordered.findIndex((chunk) => chunk.status !== 'done');
	return gap === -1 ? ordered.length : gap;
};

/** #EXT-X-TARGETDURATION: constant over the render, as HLS requires, so every segment the plan will ever list. */
export const targetDuration = (job: RenderRecord['job'], chunks: Pick<ChunkRecord, 'frameRange'>[]): number =>
	Math.max(1, ...chunks.map((chunk) => Math.ceil(segmentTiming(job, chunk).seconds)));
