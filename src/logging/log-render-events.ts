import type {RenderEvents} from '../backend/render-events.js';
import type {Logger} from './create-logger.js';

/** The render events of this process's backend as log lines with their fields, for operators. */
export const logRenderEvents = (logger: Logger): RenderEvents => ({
	renderQueued: ({renderId, chunks, frames}) => logger.info({renderId, chunks, frames}, 'render queued'),
	renderStarted: ({renderId, createdAt, startedAt}) => logger.info({renderId, queuedMs: startedAt - createdAt}, 'render started'),
	renderFinished: ({renderId, status, createdAt, finishedAt, failure}) =>
		logger.info({renderId, status, ms: finishedAt - createdAt, ...(failure === null ? {} : {failure})}, `render ${status === 'done' ? 'done' : status === 'error' ? 'failed' : 'cancelled'}`),
	chunkStarted: ({renderId, chunk, attempt, worker}) => logger.debug({renderId, chunk, attempt, worker}, 'chunk started'),
	chunkDone: ({renderId, chunk, attempt, worker, frames, ms}) => logger.info({renderId, chunk, attempt, worker, frames, ms}, 'chunk done'),
	chunkFailed: ({renderId, chunk, attempt, worker, willRetry, message}) =>
		logger.warn({renderId, chunk, attempt, worker, willRetry, error: message}, willRetry ? 'chunk failed, retrying' : 'chunk failed'),
	chunkLost: ({renderId, chunk, worker}) => logger.warn({renderId, chunk, worker}, 'chunk lost with its worker, rendering it again'),
});
