import type {VideoConfig} from 'remotion';
import type {RenderJob, ResolvedComposition} from '../backend/render-record.js';
import {COMPOSITION_ID, type DynamicCodeProps} from '../code/dynamic-code-props.js';
import {videoConfigOf} from './video-config-of.js';

/**
 * The built-in site's DynamicCode composition as its calculateMetadata() resolves it for these
 * props: known without opening a browser. Its props are the inputProps as they are.
 */
export const codeComposition = (props: DynamicCodeProps): ResolvedComposition => ({
	id: COMPOSITION_ID,
	width: props.width,
	height: props.height,
	fps: props.fps,
	durationInFrames: props.durationInFrames,
	props: null,
	defaultProps: {},
});

/** What a code render renders: the built-in site's composition with the compiled code as inputProps. */
export const codeRenderTarget = (props: DynamicCodeProps): Pick<RenderJob, 'site' | 'composition' | 'inputProps'> => ({
	site: {kind: 'builtin'},
	composition: codeComposition(props),
	inputProps: props,
});

/** The DynamicCode composition for renderMedia() (plain Remotion, in the bench and tests). */
export const dynamicComposition = (props: DynamicCodeProps): VideoConfig => videoConfigOf({composition: codeComposition(props), inputProps: props});
