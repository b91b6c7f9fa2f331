import type {RenderJob} from '../backend/render-record.js';

/** The size of the output's frames: the composition's times `scale`, rounded as Remotion rounds it. */
export const outputDimensions = ({composition, options}: Pick<RenderJob, 'composition' | 'options'>): {width: number; height: number} => {
	const scale = options.scale ?? 1;
	return {width: Math.round(composition.width * scale), height: Math.round(composition.height * scale)};
};
