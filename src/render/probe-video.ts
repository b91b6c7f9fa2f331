import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {compositorBinary} from './compositor-binaries.js';
const execFileAsync = promisify(execFile);

export type VideoProbe = {
	video: {codec: string; width: number; height: number; frames: number; durationInSeconds: number; fps: number} | null;
	audio: {codec: string; durationInSeconds: number} | null;
	/** The container as ffprobe names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
	container: string;
	/** The container's duration. */
	durationInSeconds: number;
	sizeInBytes: number;
};

type FfprobeStream = {
	codec_type: string;
	codec_name: string;
	width?: number;
	height?: number;
	nb_read_frames?: string;
	duration?: string;
	r_frame_rate?: string;
};

const ratio = (value: string | undefined): number => {
	const [num, den] = (value ?? '0/1').split('/').map(Number);
	return den ? (num ?? 0) / den : 0;
};

/** Measures an encoded file: counts the video frames by decoding headers, not from metadata. */
export const probeVideo = async (file: string): Promise<VideoProbe> => {
	const {stdout} = await execFileAsync(compositorBinary('ffprobe'), [
		'-v',
		'error',
		'-count_frames',
		'-show_streams',
		'-show_format',
		'-of',
		'json',
		file,
	]);
	const parsed = JSON.parse(stdout) as {streams: FfprobeStream[]; format: {duration?: string; size?: string; format_name?: string}};
	const video = parsed.streams.find((stream) => stream.codec_type === 'video');
	const audio = parsed.streams.find((stream) => stream.codec_type === 'audio');
	return {
		video: video
			? {
					codec: video.codec_name,
					width: video.width ?? 0,
					height: video.height ?? 0,
					frames: Number(video.nb_read_frames ?? 0),
					durationInSeconds: Number(video.duration ?? 0),
					fps: ratio(video.r_frame_rate),
				}
			: null,
		audio: audio ? {codec: audio.codec_name, durationInSeconds: Number(audio.duration ?? 0)} : null,
		container: parsed.format.format_name ?? '',
		durationInSeconds: Number(parsed.format.duration ?? 0),
		sizeInBytes: Number(parsed.format.size ?? 0),
	};
};
