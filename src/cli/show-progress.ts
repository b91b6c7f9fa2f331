import type {RenderProgress} from '../progress/progress-schemas.js';
import type {ProgressBar} from './progress-bar.js';

/** Draws a render's progress object, whether it comes from this process or from a server. */
export const showProgress = (bar: ProgressBar, progress: RenderProgress) => {
	const total = progress.renderMetadata.totalFrames;
	if (progress.queuePosition !== null) {
		bar.update('Queued', 0, 1, `position ${progress.queuePosition}`);
	} else if (progress.encodingStatus === null) {
		bar.update('Rendering', progress.framesRendered, total, `${progress.framesRendered}/${total} frames, ${progress.chunks}/${progress.renderMetadata.totalChunks} chunks`);
	} else {
		bar.update('Stitching', progress.combinedFrames, total, `${progress.combinedFrames}/${total} frames`);
	}
};
