import {execFile} from 'node:child_process';
import fs from 'node:fs';
import {promisify} from 'node:util';
import {adtsFrames} from './adts.js';
import {compositorBinary} from './compositor-binaries.js';
import {segmentAacFrames, toPaddedSamples, type ChunkAudioSpan} from './seamless-audio.js';

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
 *
 * The chunk's PCM is padded for seamless joins (see seamless-audio.ts), or its own samples when
 * the render plays no audio (padded here with the silence its neighbours' edges hold): the segment
 * keeps only the AAC frames of its stretch of the grid, and the segments' audio plays as one stream.
 */
export const makeLiveSegment = async ({
	videoFile,
	audioFile,
	outFile,
	span,
	chunkIndex,
	signal,
}: {
	videoFile: string;
	audioFile: string | null;
	outFile: string;
	/** The chunk's place in the whole video (its first frame at `startSeconds`), which its padded PCM surrounds. */
	span: ChunkAudioSpan;
	chunkIndex: number;
	signal?: AbortSignal;
}): Promise<void> => {
	// The timestamps are kept (-copyts): every chunk's video starts at the same point of its own
	// file, so adding the chunk's start lines the segments up. The audio starts where the video does.
	const videoStart = audioFile === null ? 0 : await videoStartSeconds(videoFile, signal);
	const audio = audioFile === null ? null : await segmentAudio(audioFile, outFile, span, chunkIndex, signal);
	try {
		const audioIn = audio === null ? [] : ['-itsoffset', String(videoStart + audio.offsetSeconds), '-i', audio.file];
		const audioOut = audio === null ? [] : ['-map', '1:a:0', '-c:a', 'copy'];
		await execFileAsync(
			compositorBinary('ffmpeg'),
			['-v', 'error', '-y', '-copyts', '-i', videoFile, ...audioIn, '-map', '0:v:0', '-c:v', 'copy', ...audioOut, '-output_ts_offset', String(span.startSeconds), '-f', 'mpegts', outFile],
			{signal},
		);
	} finally {
		if (audio !== null) {
			fs.rmSync(audio.file, {force: true});
		}
	}
};

/** The segment's AAC frames, cut from an encoding of the chunk's padded PCM, and where they start relative to the chunk. */
const segmentAudio = async (pcmFile: string, outFile: string, span: ChunkAudioSpan, chunkIndex: number, signal?: AbortSignal) => {
	const paddedPcm = `${outFile}.padded.wav`;
	const encoded = `${outFile}.padded.aac`;
	const kept = `${outFile}.aac`;
	try {
		const padded = toPaddedSamples(pcmFile, paddedPcm, span, chunkIndex);
		await execFileAsync(compositorBinary('ffmpeg'), ['-v', 'error', '-y', '-i', padded, '-c:a', 'aac', '-b:a', '128k', '-f', 'adts', encoded], {signal});
		const {skip, keep, offsetSeconds} = segmentAacFrames(span);
		const frames = adtsFrames(fs.readFileSync(encoded));
		if (frames.length < skip + keep) {
			throw new Error(`the chunk's padded audio encoded to ${frames.length} AAC frames; the segment needs frames ${skip} to ${skip + keep - 1}`);
		}
		fs.writeFileSync(kept, Buffer.concat(frames.slice(skip, skip + keep)));
		return {file: kept, offsetSeconds};
	} finally {
		fs.rmSync(paddedPcm, {force: true});
		fs.rmSync(encoded, {force: true});
	}
};
