import {describeError} from './describe-error.js';
import type {RenderProgress, RenderStatusResponse} from './progress-schemas.js';

/** Derived from the progress object only, so the short and the full answer never disagree. */
export const toStatus = (progress: RenderProgress): RenderStatusResponse => {
	if (progress.fatalErrorEncountered) {
		const fatal = progress.errors.find((error) => error.isFatal) ?? progress.errors.at(-1);
		return {type: 'error', message: fatal ? describeError(fatal) : 'The render failed.'};
	}
	if (progress.done && progress.outputFile !== null && progress.outputSizeInBytes !== null) {
		return {type: 'done', url: progress.outputFile, size: progress.outputSizeInBytes};
	}
	if (progress.queuePosition !== null) {
		return {type: 'queued', status: 'QUEUED', queuePosition: progress.queuePosition, progress: 0};
	}
	return {type: 'progress', progress: progress.overallProgress};
};
