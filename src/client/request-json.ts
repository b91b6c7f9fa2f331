import {apiErrorOf} from './api-error.js';

export type ServerOptions = {serverUrl: string; apiKey: string};

/** One JSON request to the API, with the key; an error answer becomes a FramefarmApiError. */
export const requestJson = async <T>(
	{serverUrl, apiKey}: ServerOptions,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	body?: unknown,
): Promise<T> => {
	const response = await fetch(`${serverUrl.replace(/\/+$/, '')}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${apiKey}`,
			...(body === undefined ? {} : {'content-type': 'application/json'}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = null;
	try {
		parsed = text === '' ? null : JSON.parse(text);
	} catch {
		// A proxy's HTML error page, say: reported below with the status.
	}
	if (!response.ok) {
		throw apiErrorOf(response, parsed);
	}
	return parsed as T;
};
