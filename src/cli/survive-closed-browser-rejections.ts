import type {Logger} from '../logging/create-logger.js';

/**
 * Remotion's browser connection, when it is closed, rejects every CDP call still pending on it
 * ("Protocol error (Target.closeTarget): Target closed"), and some of those calls were made by
 * Remotion itself without a handler (a page closed while its browser closes). Node then ends the
 * process on the unhandled rejection: `serve` exited so while its API browser closed after a still.
 * Such a rejection is logged and the process keeps serving; any other still ends it, as before.
 */
export const surviveClosedBrowserRejections = (logger: Pick<Logger, 'warn'>) => {
	process.on('unhandledRejection', (reason) => {
		if (reason instanceof Error && reason.name === 'ProtocolError') {
			logger.warn({err: reason}, `a browser call left pending when its browser closed: ${reason.message.split('\n')[0]}`);
			return;
		}
		throw reason;
	});
};
