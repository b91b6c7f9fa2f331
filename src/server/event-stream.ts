import type {FastifyReply} from 'fastify';

// A comment now and then keeps proxies from closing a quiet stream.
const KEEP_ALIVE_MS = 15_000;

/** What a stream shows now: sent when `signature` differs from the last one sent; `final` ends the stream. */
export type StreamState = {event: string; data: unknown; signature: string; final: boolean};

/**
 * Answers with Server-Sent Events: reads the state every `tickMs`, sends it when it changed, and
 * ends after a final one or when the client goes. A read that throws (the render was removed, the
 * backend failed) is sent as an `error` event with its message, then the stream ends.
 */
export const streamEvents = async (reply: FastifyReply, read: () => Promise<StreamState>, tickMs: number): Promise<void> => {
	reply.hijack();
	const raw = reply.raw;
	raw.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache, no-transform',
		connection: 'keep-alive',
		'x-accel-buffering': 'no',
	});
	let open = true;
	raw.on('close', () => {
		open = false;
	});
	const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
	let last = '';
	let lastWriteAt = Date.now();
	try {
		while (open) {
			const state = await read();
			if (state.final || state.signature !== last) {
				send(state.event, state.data);
				last = state.signature;
				lastWriteAt = Date.now();
				if (state.final) {
					break;
				}
			} else if (Date.now() - lastWriteAt > KEEP_ALIVE_MS) {
				raw.write(': keep-alive\n\n');
				lastWriteAt = Date.now();
			}
			await new Promise((resolve) => setTimeout(resolve, tickMs));
		}
	} catch (err) {
		if (open) {
			send('error', {message: (err as Error).message});
		}
	} finally {
		raw.end();
	}
};
