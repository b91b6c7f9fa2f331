import {UsageError} from './usage-error.js';

/** A numeric flag's value, or undefined when it was not given. */
export const parseNumberFlag = (name: string, value: string | undefined): number | undefined => {
	if (value === undefined) {
		return undefined;
	}
	const parsed = Number(value);
	if (value.trim() === '' || !Number.isFinite(parsed)) {
		throw new UsageError(`${name} must be a number, got "${value}"`);
	}
	return parsed;
};
