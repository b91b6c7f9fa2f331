/** Root mean square of the samples in [from, to). */
export const rms = (samples: ArrayLike<number>, from: number, to: number): number => {
	let sum = 0;
	for (let i = from; i < to; i++) {
		sum += (samples[i] ?? 0) ** 2;
	}
	return Math.sqrt(sum / Math.max(1, to - from));
};

/** The largest jump between neighbouring samples in [from, to): a click is a jump a 440 Hz tone never makes. */
export const largestStep = (samples: ArrayLike<number>, from: number, to: number): number => {
	let largest = 0;
	for (let i = Math.max(1, from); i < to; i++) {
		largest = Math.max(largest, Math.abs((samples[i] ?? 0) - (samples[i - 1] ?? 0)));
	}
	return largest;
};

/**
 * The quietest 10 ms window of a steady tone, against the median window: where the tone is loud
 * (from its first loud window to its last), a gap or a dip at a join shows as a window far below.
 */
export const quietestWindow = (samples: ArrayLike<number>, sampleRate: number): {quietest: number; median: number; at: number; loudSeconds: number} => {
	const size = sampleRate / 100;
	const windows: number[] = [];
	for (let i = 0; i + size <= samples.length; i += size) {
		windows.push(rms(samples, i, i + size));
	}
	const median = [...windows].sort((a, b) => a - b)[Math.floor(windows.length / 2)] ?? 0;
	const loud = windows.map((value, i) => (value > median / 4 ? i : -1)).filter((i) => i >= 0);
	const [first = 0, last = -1] = [loud[0], loud.at(-1)];
	// The first and last loud windows are where the tone starts and stops inside them.
	const inside = windows.slice(first + 1, last);
	const quietest = Math.min(...inside);
	return {quietest, median, at: ((first + 1 + inside.indexOf(quietest)) * size) / sampleRate, loudSeconds: ((last - first + 1) * size) / sampleRate};
};
