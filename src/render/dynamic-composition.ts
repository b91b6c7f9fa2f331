import type {VideoConfig} from 'remotion';
import {COMPOSITION_ID, type DynamicCodeProps} from '../code/dynamic-code-props.js';

/**
 * The DynamicCode composition as its calculateMetadata() resolves it for these props: known
 * without opening a browser, so renderMedia() needs no selectComposition() round trip.
 */
export const dynamicComposition = (props: DynamicCodeProps): VideoConfig => ({
	id: COMPOSITION_ID,
	width: props.width,
	height: props.height,
	fps: props.fps,
	durationInFrames: props.durationInFrames,
	defaultProps: {},
	props,
	defaultCodec: null,
	defaultOutName: null,
	defaultVideoImageFormat: null,
	defaultPixelFormat: null,
	defaultProResProfile: null,
	defaultSampleRate: null,
});
