import {apiErrorOf} from './api-error.js';
import type {ServerOptions} from './request-json.js';

export type ServerSentEvent = {event: string; data: string};

/**
 * Reads a Server-Sent Events stream with fetch, so the API key goes in a header (EventSource
 * cannot send one); works in Node 18+ and browsers. Yields each event until the server closes.
 */
export async function* readEvents({serverUrl, apiKey}: ServerOptions, path: string, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
	const response = await fetch(`${serverUrl.replace(/\/+$/, '')}${path}`, {
		headers: {authorization: `Bearer ${apiKey}`, accept: 'text/event-stream'},
		signal,
	});
	if (!response.ok || response.body === null) {
		throw apiErrorOf(response, await response.json().catch(() => null));
	}
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	try {
		for (;;) {
			const {value, done} = await reader.read();
			if (done) {
				return;
			}
			buffer += value;
			let end: number;
			while ((end = buffer.indexOf('\n\n')) !== -1) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				let event = 'message';
				const data: string[] = [];
				for (const line of block.split('\n')) {
					if (line.startsWith('event:')) {
						event = line.slice(6).trim();
					} else if (line.startsWith('data:')) {
						data.push(line.slice(5).replace(/^ /, ''));
					}
				}
				// Lines starting with ':' are keep-alive comments.
				if (data.length > 0) {
					yield {event, data: data.join('\n')};
				}
			}
		}
	} finally {
		reader.releaseLock();
	}
}
