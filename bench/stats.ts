export const median = (values: number[]): number => percentile(values, 50);

export const percentile = (values: number[], p: number): number => {
	if (values.length === 0) {
		return NaN;
	}
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank]!;
};

export const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(2)} s`;
/** Milliseconds to a tenth below 10 ms, whole above. */
export const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
export const ratio = (value: number): string => value.toFixed(2);
