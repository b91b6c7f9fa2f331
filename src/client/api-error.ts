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
