/** An error answer from a framefarm server: its status and its `error` message. */
export class FramefarmApiError extends Error {
	override readonly name = 'FramefarmApiError';
	readonly status: number;
	readonly code: string | null;

	constructor(status: number, message: string, code: string | null) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** The FramefarmApiError for an error answer, from its JSON body (`error`, `code`) when it has one. */
export const apiErrorOf = (response: Response, body: unknown): FramefarmApiError => {
	const {error, code} = (body ?? {}) as {error?: string; code?: string};
	return new FramefarmApiError(response.status, error ?? `${response.status} ${response.statusText}`, code ?? null);
};
