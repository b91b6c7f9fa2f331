import type {AudioCodec, Codec} from '@remotion/renderer';

// The codecs a render may ask for, as Remotion Lambda names them, and how framefarm renders each
// in chunks. The chunks always carry their audio as PCM beside the video, joined and encoded once
// at the stitch (combineChunks()), so the audio is continuous across the joins whatever the codec.

export const OUTPUT_CODECS = ['h264', 'h265', 'vp8', 'vp9', 'prores', 'gif', 'mp3', 'aac', 'wav'] as const;
export type OutputCodec = (typeof OUTPUT_CODECS)[number];

export const AUDIO_CODECS = ['pcm-16', 'aac', 'mp3', 'opus'] as const;

export type CodecSpec = {
	/** The output file's extension (Lambda's outName default is out.<extension>); its Content-Type follows from it (contentTypeOf()). */
	extension: string;
	/**
	 * How a chunk's frames are encoded: the codec renderMedia() gets and the file's extension;
	 * null for audio-only outputs, whose chunks are PCM only.
	 */
	chunkVideo: {codec: Codec; extension: string} | null;
	/** Audio codecs the output can hold, its default first; none for gif. */
	audioCodecs: readonly AudioCodec[];
	/** CRF range, as Remotion validates it; null when the codec takes no CRF. */
	crf: readonly [number, number] | null;
	/** Joined without re-encoding the video (gif is encoded once from the joined chunks: see the README). */
	reencodesVideo: boolean;
};

export const CODECS: Record<OutputCodec, CodecSpec> = {
	// MPEG-TS chunks join with the concat protocol; the others with the concat demuxer and -c copy.
	h264: {extension: 'mp4', chunkVideo: {codec: 'h264', extension: 'ts'}, audioCodecs: ['aac', 'pcm-16', 'mp3'], crf: [1, 51], reencodesVideo: false},
	h265: {extension: 'mp4', chunkVideo: {codec: 'h265', extension: 'mp4'}, audioCodecs: ['aac', 'pcm-16'], crf: [0, 51], reencodesVideo: false},
	vp8: {extension: 'webm', chunkVideo: {codec: 'vp8', extension: 'webm'}, audioCodecs: ['opus', 'pcm-16'], crf: [4, 63], reencodesVideo: false},
	vp9: {extension: 'webm', chunkVideo: {codec: 'vp9', extension: 'webm'}, audioCodecs: ['opus', 'pcm-16'], crf: [0, 63], reencodesVideo: false},
	prores: {extension: 'mov', chunkVideo: {codec: 'prores', extension: 'mov'}, audioCodecs: ['pcm-16', 'aac'], crf: null, reencodesVideo: false},
	// A palette is made for the whole GIF, so its chunks are near-lossless h264 in Matroska.
	gif: {extension: 'gif', chunkVideo: {codec: 'h264-mkv', extension: 'mkv'}, audioCodecs: [], crf: null, reencodesVideo: true},
	mp3: {extension: 'mp3', chunkVideo: null, audioCodecs: ['mp3', 'pcm-16'], crf: null, reencodesVideo: false},
	aac: {extension: 'aac', chunkVideo: null, audioCodecs: ['aac', 'pcm-16'], crf: null, reencodesVideo: false},
	wav: {extension: 'wav', chunkVideo: null, audioCodecs: ['pcm-16'], crf: null, reencodesVideo: false},
};

/** The audio codec of the output: the one asked for, or the codec's default (null: no audio). */
export const outputAudioCodec = (codec: OutputCodec, asked: AudioCodec | null | undefined): AudioCodec | null => asked ?? CODECS[codec].audioCodecs[0] ?? null;

/** The files of one chunk, by the chunk's index: every party derives the same names. Null: a chunk of this render has none. */
export const chunkFileNames = (index: number, codec: OutputCodec, muted: boolean): {video: string | null; audio: string | null} => {
	const name = `chunk-${String(index).padStart(6, '0')}`;
	const {chunkVideo, audioCodecs} = CODECS[codec];
	return {video: chunkVideo === null ? null : `${name}.${chunkVideo.extension}`, audio: audioCodecs.length === 0 || muted ? null : `${name}.wav`};
};
