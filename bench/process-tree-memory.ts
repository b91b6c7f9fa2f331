import fs from 'node:fs';
import {pssBytes} from '../src/render/browser-memory.js';

// Every process whose ancestry leads to root: the serve process, its browsers and ffmpeg.
const descendants = async (root: number): Promise<number[]> => {
	const parents = new Map<number, number>();
	for (const entry of await fs.promises.readdir('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}
		const stat = await fs.promises.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
		const ppid = stat === null ? NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		parents.set(Number(entry), ppid);
	}
	const tree = [root];
	for (let i = 0; i < tree.length; i++) {
		for (const [pid, ppid] of parents) {
			if (ppid === tree[i]) {
				tree.push(pid);
			}
		}
	}
	return tree;
};

/** PSS of a process and all its descendants, in bytes. */
export const processTreeMemory = async (root: number): Promise<number> => {
	const sizes = await Promise.all((await descendants(root)).map(pssBytes));
	return sizes.reduce((sum, size) => sum + size, 0);
};

/**
 * Samples a process tree's memory until stopped; reports the peak. Reading smaps_rollup walks a
 * process's mappings under its memory lock and slows a busy renderer: sampled every 250 ms it
 * cost a render 4-12 %, so both sides of a comparison are sampled alike, once a second.
 */
export const sampleMemory = (root: number, intervalMs = 1000) => {
	let peak = 0;
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			peak = Math.max(peak, await processTreeMemory(root).catch(() => 0));
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	})();
	return {
		stop: async (): Promise<number> => {
			stopped = true;
			await loop;
			return peak;
		},
	};
};
