import type {AppProgressResponse, RenderProgress} from './progress-schemas.js';
import {toStatus} from './to-status.js';

/** The app knows no queue: a queued render is progress 0. */
export const toAppProgress = (progress: RenderProgress): AppProgressResponse => {
	const status = toStatus(progress);
	return status.type === 'queued' ? {type: 'progress', progress: 0} : status;
};
