import type {DynamicCodeProps} from '../code/dynamic-code-props.js';
import {codeRenderTarget} from '../render/dynamic-composition.js';
import type {RenderJob} from './render-record.js';

/** How renders stored before sites existed kept a code render's job. */
type CodeJobBeforeSites = Omit<RenderJob, 'site' | 'composition' | 'inputProps' | 'options'> & DynamicCodeProps;

/** A stored job, as either driver keeps it (JSON); jobs stored by earlier versions read as what they were. */
export const parseJob = (text: string): RenderJob => {
	const job = JSON.parse(text) as RenderJob | CodeJobBeforeSites;
	if ('site' in job) {
		// Jobs stored before render options existed have none: Remotion's defaults.
		return {...job, options: job.options ?? {}};
	}
	const {js, exportName, durationInFrames, fps, width, height, ...rest} = job;
	return {...rest, ...codeRenderTarget({js, exportName, durationInFrames, fps, width, height}), options: {}};
};
