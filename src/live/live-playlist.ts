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
	const gap = ordered.findIndex((chunk) => chunk.status !== 'done');
	const ready = gap === -1 ? ordered : ordered.slice(0, gap);
	// Constant over the render, as HLS requires: every segment the plan will ever list.
	const target = Math.max(1, ...ordered.map((chunk) => Math.ceil(segmentTiming(render.job, chunk).seconds)));
	const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-PLAYLIST-TYPE:EVENT', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0'];
	for (const chunk of ready) {
		lines.push(`#EXTINF:${segmentTiming(render.job, chunk).seconds.toFixed(6)},`, segmentUrl(chunk.index));
	}
	if (render.status === 'error') {
		// Players ignore comment lines; a person reading the playlist sees why it ends here.
		lines.push(`# framefarm: the render failed: ${(render.failure ?? 'unknown error').replace(/\s+/g, ' ')}`);
	}
	// The last chunk is in (the stitch has yet to run), or nothing more will come.
	if ((gap === -1 && ordered.length > 0) || render.status === 'error') {
		lines.push('#EXT-X-ENDLIST');
	}
	return `${lines.join('\n')}\n`;
};
