/** One line of progress on stderr: redrawn in place on a terminal, a line per step elsewhere. */
export type ProgressBar = {
	update: (label: string, done: number, total: number, detail: string) => void;
	/** A line of its own above the bar (the bar is drawn again below it on a terminal). */
	note: (line: string) => void;
	finish: () => void;
};

const WIDTH = 24;

export const createProgressBar = (stream: NodeJS.WriteStream = process.stderr): ProgressBar => {
	const startedAt = Date.now();
	const interactive = stream.isTTY === true;
	let drawn = '';
	// Off a terminal: the latest line, printed at each tenth and when its phase ends.
	let latest = {label: '', tenth: -1, line: '', key: ''};
	let printedKey = '';

	const print = () => {
		if (latest.key !== printedKey) {
			stream.write(`${latest.line}\n`);
			printedKey = latest.key;
		}
	};

	return {
		update: (label, done, total, detail) => {
			const share = total > 0 ? Math.min(1, done / total) : 0;
			const filled = Math.round(share * WIDTH);
			const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
			const line = `${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${detail} ${seconds}s`;
			if (interactive) {
				stream.write(`\r${line.padEnd(drawn.length)}`);
				drawn = line;
				return;
			}
			const tenth = Math.floor(share * 10);
			if (label !== latest.label) {
				print();
			}
			const due = label !== latest.label || tenth !== latest.tenth;
			latest = {label, tenth, line, key: `${label} ${detail}`};
			if (due) {
				print();
			}
		},
		note: (line) => {
			stream.write(interactive && drawn !== '' ? `\r${' '.repeat(drawn.length)}\r${line}\n${drawn}` : `${line}\n`);
		},
		finish: () => {
			if (interactive && drawn !== '') {
				stream.write('\n');
				drawn = '';
			}
			print();
		},
	};
};
