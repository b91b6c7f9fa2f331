import type {VideoConfig} from 'remotion';
import type {RenderJob} from '../backend/render-record.js';

/** The composition renderMedia() is given for a job: resolved once at submit, never again per chunk. */
export const videoConfigOf = ({composition, inputProps}: Pick<RenderJob, 'composition' | 'inputProps'>): VideoConfig => ({
	id: composition.id,
	width: composition.width,
	height: composition.height,
	fps: composition.fps,
	durationInFrames: composition.durationInFrames,
	defaultProps: composition.defaultProps,
	props: composition.props ?? inputProps,
	defaultCodec: null,
	defaultOutName: null,
	defaultVideoImageFormat: null,
	defaultPixelFormat: null,
	defaultProResProfile: null,
	defaultSampleRate: null,
});
