import type {IncomingMessage} from 'node:http';
import type {FastifyInstance} from 'fastify';

// How long a cut-off connection stays half-open for its answer to reach the client.
const LINGER_MS = 2000;

/**
 * A client whose answer is ready before it has sent its whole body (a 413, a 401 from the key
 * check) is still writing; a connection closed on it then loses the answer (Node's `fetch` sees
 * EPIPE instead of the 413). So the rest of the body is read and thrown away, up to `maxBytes`,
 * on a connection kept alive, and the answer reaches every client. A body declared or sent past
 * that bound is cut off: the server stops reading, ends its side after the answer, and closes
 * the connection a moment later.
 */
export const drainUnreadBody = (app: FastifyInstance, maxBytes: number): void => {
	const declaredTooLong = (raw: IncomingMessage) => Number(raw.headers['content-length']) > maxBytes;
	app.addHook('onSend', async (request, reply) => {
		// Fastify closes the connection on a body it refused; Node then ends it under the client.
		if (!request.raw.complete && !declaredTooLong(request.raw)) {
			reply.removeHeader('connection');
		}
	});
	// After Node's own handler, which starts throwing the body away when nothing else reads it.
	app.addHook('onResponse', async (request) => {
		const {raw} = request;
		const socket = raw.socket;
		if (raw.complete || raw.destroyed || !socket) {
			return;
		}
		const cutOff = () => {
			raw.pause();
			socket.end();
			setTimeout(() => socket.destroy(), LINGER_MS).unref();
		};
		if (declaredTooLong(raw)) {
			cutOff();
			return;
		}
		let read = 0;
		const count = (chunk: Buffer) => {
			read += chunk.length;
			if (read > maxBytes) {
				raw.off('data', count);
				cutOff();
			}
		};
		raw.on('data', count);
		raw.resume();
	});
};
