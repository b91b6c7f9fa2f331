import fs from 'node:fs';
import type {HeadlessBrowser} from '@remotion/renderer';

type ProcessInfo = {processInfo: Array<{type: string; id: number}>};

// One "Name:   123 kB" line of a /proc file, in bytes; 0 when the process is gone or /proc is
// not there (not Linux).
const procFieldBytes = async (file: string, field: string): Promise<number> => {
	try {
		const text = await fs.promises.readFile(file, 'utf8');
		const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
		return kb === undefined ? 0 : Number(kb) * 1024;
	} catch {
		return 0;
	}
};

/** Proportional set size of one process: memory shared between processes is counted once, not per process. */
export const pssBytes = (pid: number): Promise<number> => procFieldBytes(`/proc/${pid}/smaps_rollup`, 'Pss');

/**
 * Resident set size of one process: an upper bound of its PSS (memory shared with other processes
 * counted in full), read from /proc/<pid>/status without walking its mappings.
 */
export const rssBytes = (pid: number): Promise<number> => procFieldBytes(`/proc/${pid}/status`, 'VmRSS');

/** A browser's processes, by type (browser, renderer, GPU, utility) and id. */
export const browserProcesses = async (browser: HeadlessBrowser): Promise<ProcessInfo['processInfo']> => {
	// Remotion's typed CDP command list leaves out SystemInfo.
	const connection = browser.connection as unknown as {send: (method: string) => Promise<{value: ProcessInfo}>};
	const {value} = await connection.send('SystemInfo.getProcessInfo');
	return value.processInfo;
};

const sum = (sizes: number[]) => sizes.reduce((total, size) => total + size, 0);

/**
 * Whether a browser's processes together use more than `limitBytes`, as Linux accounts memory
 * shared between them (PSS); the bytes used when they do, else null. The RSS sum is read first:
 * it is never below the PSS sum, so a browser under the limit by RSS is under it, and the costly
 * PSS count is made only near the limit.
 */
const overLimit = async (browser: HeadlessBrowser, limitBytes: number): Promise<number | null> => {
	const pids = (await browserProcesses(browser)).map((info) => info.id);
	if (sum(await Promise.all(pids.map(rssBytes))) <= limitBytes) {
		return null;
	}
	const pss = sum(await Promise.all(pids.map(pssBytes)));
	return pss > limitBytes ? pss : null;
};

export type MemoryWatch = {stop: () => void};

// Reading smaps_rollup walks a process's mappings under its memory lock and slows a busy
// renderer: every 500 ms it cost a 300-frame render about 4 %. A guard against a runaway page
// does not need more than a look every two seconds, and it reads smaps_rollup only near the limit.
const SAMPLE_INTERVAL_MS = 2000;

/** Samples the browser's memory while a chunk renders and calls onExceeded once past the limit. */
export const watchBrowserMemory = (
	browser: HeadlessBrowser,
	limitBytes: number,
	onExceeded: (bytes: number) => void,
): MemoryWatch => {
	if (process.platform !== 'linux') {
		// The counts come from /proc: elsewhere there is nothing to watch with.
		return {stop: () => undefined};
	}
	let exceeded = false;
	let sampling = false;
	const timer = setInterval(() => {
		if (sampling || exceeded) {
			return;
		}
		sampling = true;
		overLimit(browser, limitBytes)
			.then((bytes) => {
				if (bytes !== null && !exceeded) {
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
	return {stop: () => clearInterval(timer)};
};
