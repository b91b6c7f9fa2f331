import type {RenderJob} from '../backend/render-record.js';

/** The output's Content-Disposition when the render asked it to download (Lambda's downloadBehavior), else null. */
export const contentDispositionOf = ({options, outName}: Pick<RenderJob, 'options' | 'outName'>): string | null =>
	options.downloadBehavior?.type === 'download' ? `attachment; filename="${options.downloadBehavior.fileName ?? outName}"` : null;
