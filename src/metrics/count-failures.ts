/**
 * The same object, with every method that returns a promise telling `onFailure` its name when the
 * promise rejects (the error still reaches the caller): Redis and bucket errors by operation.
 */
export const countFailures = <T extends object>(target: T, onFailure: (operation: string) => void): T =>
	Object.fromEntries(
		Object.entries(target).map(([name, value]) => {
			if (typeof value !== 'function') {
				return [name, value];
			}
			const method = value as (...args: unknown[]) => unknown;
			return [
				name,
				(...args: unknown[]) => {
					const result = method(...args);
					if (result instanceof Promise) {
						result.catch(() => onFailure(name));
					}
					return result;
				},
			];
		}),
	) as T;
