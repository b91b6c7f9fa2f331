import {CODECS, outputAudioCodec, type OutputCodec} from './codecs.js';
import type {RequestedRenderOptions as RenderOptions} from './render-options.js';

type Issue = {field: string; message: string};

/**
 * What Remotion would refuse once a chunk renders, found at submit instead: the options that do
 * not go with the codec or with each other. Each issue names its field.
 */
export const renderOptionIssues = (body: RenderOptions & {codec: OutputCodec; outName?: string | undefined}): Issue[] => {
	const {codec} = body;
	const spec = CODECS[codec];
	const issues: Issue[] = [];
	const only = (field: keyof RenderOptions, allowed: boolean, message: string) => {
		if (body[field] !== undefined && body[field] !== null && !allowed) {
			issues.push({field, message});
		}
	};
	if (body.audioCodec !== undefined && !spec.audioCodecs.includes(body.audioCodec)) {
		issues.push({field: 'audioCodec', message: spec.audioCodecs.length === 0 ? `is not taken by ${codec}, which has no audio` : `must be ${spec.audioCodecs.join(' or ')} for ${codec}`});
	}
	if (body.crf !== undefined) {
		if (spec.crf === null) {
			issues.push({field: 'crf', message: `is not taken by ${codec}`});
		} else if (body.crf < spec.crf[0] || body.crf > spec.crf[1]) {
			issues.push({field: 'crf', message: `must be between ${spec.crf[0]} and ${spec.crf[1]} for ${codec}`});
		}
		only('videoBitrate', false, 'and crf cannot both be set: choose one');
	}
	only('proResProfile', codec === 'prores', 'is for the prores codec only');
	only('x264Preset', codec === 'h264', 'is for the h264 codec only');
	only('numberOfGifLoops', codec === 'gif', 'is for the gif codec only');
	only('everyNthFrame', codec === 'gif' || body.everyNthFrame === 1, 'is for the gif codec only, as in Remotion');
	only('videoBitrate', spec.chunkVideo !== null && !spec.reencodesVideo, `is not taken by ${codec}`);
	only('audioBitrate', outputAudioCodec(codec, body.audioCodec) !== null && outputAudioCodec(codec, body.audioCodec) !== 'pcm-16', `is not taken by ${codec} with ${outputAudioCodec(codec, body.audioCodec) ?? 'no'} audio`);
	only('jpegQuality', (body.imageFormat ?? 'jpeg') === 'jpeg', 'is for imageFormat jpeg only');
	if (body.imageFormat === 'none' && spec.chunkVideo !== null) {
		issues.push({field: 'imageFormat', message: `can be none only for audio codecs (mp3, aac, wav), not ${codec}`});
	}
	if (body.pixelFormat?.startsWith('yuva') === true) {
		if (body.imageFormat !== 'png') {
			issues.push({field: 'imageFormat', message: `must be png for pixelFormat ${body.pixelFormat} (transparency)`});
		}
		if (!(body.pixelFormat === 'yuva444p10le' ? codec === 'prores' : codec === 'vp8' || codec === 'vp9')) {
			issues.push({field: 'pixelFormat', message: `${body.pixelFormat} needs ${body.pixelFormat === 'yuva444p10le' ? 'prores' : 'vp8 or vp9'}`});
		}
	}
	if (body.outName !== undefined && !body.outName.endsWith(`.${spec.extension}`)) {
		issues.push({field: 'outName', message: `must end in .${spec.extension} for ${codec}`});
	}
	return issues;
};
