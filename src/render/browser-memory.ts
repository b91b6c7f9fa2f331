import fs from 'node:fs';
import type {HeadlessBrowser} from '@remotion/renderer';

type ProcessInfo = {processInfo: Array<{type: string; id: number}>};

/** Proportional set size of one process: memory shared between processes is counted once, not per process. */
export const pssBytes = async (pid: number): Promise<number> => {
	try {
		const rollup = await fs.promises.readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
		const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
		return kb === undefined ? 0 : Number(kb) * 1024;
	} catch {
		// The process is gone, or /proc is not there (not Linux).
		return 0;
	}
};

/**
 * Memory used by all of a browser's processes (browser, renderers, GPU, network), in bytes, as
 * Linux accounts it; null where /proc cannot tell.
 */
export const readBrowserMemory = async (browser: HeadlessBrowser): Promise<number | null> => {
	if (process.platform !== 'linux') {
		return null;
	}
	// Remotion's typed CDP command list leaves out SystemInfo.
	const connection = browser.connection as unknown as {send: (method: string) => Promise<{value: ProcessInfo}>};
	const {value} = await connection.send('SystemInfo.getProcessInfo');
	const sizes = await Promise.all(value.processInfo.map((info) => pssBytes(info.id)));
	return sizes.reduce((sum, size) => sum + size, 0);
};

export type MemoryWatch = {stop: () => void; peakBytes: () => number};

// Reading smaps_rollup walks a process's mappings under its memory lock and slows a busy
// renderer: every 500 ms it cost a 300-frame render about 4 %. A guard against a runaway page
// does not need more than a look every two seconds.
const SAMPLE_INTERVAL_MS = 2000;

/** Samples the browser's memory while a chunk renders and calls onExceeded once past the limit. */
export const watchBrowserMemory = (
	browser: HeadlessBrowser,
	limitBytes: number,
	onExceeded: (bytes: number) => void,
): MemoryWatch => {
	let peak = 0;
	let exceeded = false;
	let sampling = false;
	const timer = setInterval(() => {
		if (sampling || exceeded) {
			return;
		}
		sampling = true;
		readBrowserMemory(browser)
			.then((bytes) => {
				peak = Math.max(peak, bytes ?? 0);
				if (bytes !== null && bytes > limitBytes && !exceeded) {
					exceeded = true;
					onExceeded(bytes);
				}
			})
			// The browser may be closing; the next sample tries again.
			.catch(() => undefined)
			.finally(() => {
				sampling = false;
			});
	}, SAMPLE_INTERVAL_MS);
	timer.unref();
	return {stop: () => clearInterval(timer), peakBytes: () => peak};
};
