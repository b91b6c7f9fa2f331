import fs from 'node:fs';
import path from 'node:path';

/**
 * Moves a finished staging folder to where readers look for it, in one rename. Another process
 * may have published the same content there first (a folder named by its hash): theirs is as
 * good as ours, and ours is dropped by the caller's cleanup.
 */
export const publishFolder = (staging: string, target: string) => {
	try {
		fs.renameSync(staging, target);
	} catch (err) {
		if (!fs.existsSync(path.join(target, 'index.html'))) {
			throw err;
		}
	}
};
