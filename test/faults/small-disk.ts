import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {makeTempDir} from '../helpers.js';

/**
 * A small tmpfs of its own (root only), for a data dir whose disk fills up: `fill()` leaves
 * `leaveBytes` free with a filler file, `free()` removes it.
 */
export const mountSmallDisk = (sizeMb: number) => {
	const dir = makeTempDir('framefarm-disk-');
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
	const filler = path.join(dir, 'filler');
	return {
		dir,
		fill: (leaveBytes: number) => {
			const stats = fs.statfsSync(dir);
			fs.writeFileSync(filler, Buffer.alloc(Math.max(0, stats.bavail * stats.bsize - leaveBytes)));
		},
		free: () => fs.rmSync(filler, {force: true}),
		unmount: () => {
			execFileSync('umount', ['-l', dir]);
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
};
