/** User code that cannot be compiled. Never retried: the same code fails the same way. */
export class CompileError extends Error {
	override readonly name = 'CompileError';
	readonly code = 'compile_error';
	readonly line: number | null;
	readonly column: number | null;

	constructor(message: string, location: {line: number | null; column: number | null} = {line: null, column: null}) {
		super(message);
		this.line = location.line;
		this.column = location.column;
	}

	withHint(hint: string): CompileError {
		return new CompileError(`${this.message} ${hint}`, {line: this.line, column: this.column});
	}
}
