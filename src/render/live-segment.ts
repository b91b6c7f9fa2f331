import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {compositorBinary} from './compositor-binaries.js';

const execFileAsync = promisify(execFile);

/** When the first frame of an MPEG-TS file is shown, in its own timestamps (the muxer's delay and the encoder's reordering). */
const videoStartSeconds = async (file: string, signal?: AbortSignal): Promise<number> => {
	const {stdout} = await execFileAsync(
		compositorBinary('ffprobe'),
		['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', file],
		{signal},
	);
	const start = Number(stdout.trim().split('\n')[0]);
	if (!Number.isFinite(start)) {
		throw new Error(`ffprobe found no start time in ${file}: ${stdout.trim()}`);
	}
	return start;
};

/**
 * A chunk as an HLS segment of the render's live stream: its h264 copied as it is, its PCM audio
 * encoded to AAC beside it, and both shifted by the chunk's start in the video, so that the
 * segments of a render play one after the other on one timeline (no discontinuities). The
 * chunk's own file, which the stitch joins, is left as it is.
 */
export const makeLiveSegment = async ({
	videoFile,
	audioFile,
	outFile,
	startSeconds,
	signal,
}: {
	videoFile: string;
	audioFile: string | null;
	outFile: string;
	/** Where the chunk's first frame is in the whole video. */
	startSeconds: number;
	signal?: AbortSignal;
}): Promise<void> => {
	// The timestamps are kept (-copyts): every chunk's video starts at the same point of its own
	// file, so adding the chunk's start lines the segments up. The audio starts where the video does.
	const audio = audioFile === null ? [] : ['-itsoffset', String(await videoStartSeconds(videoFile, signal)), '-i', audioFile];
	const audioOut = audioFile === null ? [] : ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '128k'];
	await execFileAsync(
		compositorBinary('ffmpeg'),
		['-v', 'error', '-y', '-copyts', '-i', videoFile, ...audio, '-map', '0:v:0', '-c:v', 'copy', ...audioOut, '-output_ts_offset', String(startSeconds), '-f', 'mpegts', outFile],
		{signal},
	);
};
