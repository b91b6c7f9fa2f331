import type {Backend} from '../backend/backend.js';
import type {ChunkRecord, RenderRecord} from '../backend/render-record.js';

// A component fetching a new URL every frame must not flood the progress object.
const MAX_BLOCKED_REPORTS = 10;

const BLOCKED_EXPLANATION =
	'Rendered pages may reach only the farm’s bundle server and the origins in FRAMEFARM_ALLOWED_ORIGINS; loopback, private and link-local addresses and file: URLs are always blocked.';

/** Each request the network policy blocked goes to the render's log and its progress object's errors. */
export const blockedRequestReporter = (backend: Backend, render: RenderRecord, chunk: ChunkRecord, onBlocked: () => void) => {
	let reported = 0;
	return (url: string, reason: string) => {
		onBlocked();
		reported++;
		if (reported > MAX_BLOCKED_REPORTS) {
			return;
		}
		const message = `Blocked a request to ${url}: ${reason}`;
		const more = reported === MAX_BLOCKED_REPORTS ? ' (further blocked requests of this chunk are not listed)' : '';
		void backend.appendLog(render.id, `chunk ${chunk.index}: ${message}${more}`).catch(() => undefined);
		void backend
			.addError(render.id, {
				type: 'browser',
				message,
				name: 'BlockedRequestError',
				stack: '',
				frame: null,
				chunk: chunk.index,
				isFatal: false,
				attempt: chunk.attempt,
				willRetry: false,
				totalAttempts: chunk.attempt,
				explanation: BLOCKED_EXPLANATION,
			})
			.catch(() => undefined);
	};
};
