import {apiErrorOf} from './api-error.js';

export type ServerOptions = {serverUrl: string; apiKey: string};

/** One JSON request to the API, with the key; an error answer becomes a FramefarmApiError. */
export const requestJson = async <T>(
	{serverUrl, apiKey}: ServerOptions,
	method: 'GET' | 'POST' | 'PUT' | 'DELETE',
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
	const parsed = await readJsonOrNull(response);
	if (!response.ok) {
		throw apiErrorOf(response, parsed);
	}
	return parsed as T;
};

/** The answer's JSON body, or null (a proxy's HTML error page, say: reported with the status). */
export const readJsonOrNull = async (response: Response): Promise<unknown> => {
	const text = await response.text();
	try {
		return text === '' ? null : (JSON.parse(text) as unknown);
	} catch {
		return null;
	}
};
