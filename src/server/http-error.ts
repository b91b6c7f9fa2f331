/** An error with an HTTP status and a stable code; its message is safe to show to the client. */
export class HttpError extends Error {
	override readonly name = 'HttpError';
	readonly status: number;
	readonly code: string;
	/** Extra response headers, such as Retry-After. */
	readonly headers: Record<string, string>;

	constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found`);
export const invalidKey = () => new HttpError(401, 'unauthorized', 'Missing or invalid API key: send "Authorization: Bearer <key>"');
export const badRequest = (message: string) => new HttpError(400, 'invalid_request', message);
