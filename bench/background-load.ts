import {spawn} from 'node:child_process';

/**
 * One busy core from outside the farm, as a build or a second service would be: `yes` writing
 * to /dev/null at normal priority, in a session of its own (so Linux schedules it as its own group,
 * as it would a process started from another terminal).
 */
export const startBackgroundLoad = (): {stop: () => Promise<void>} => {
	const child = spawn('yes', [], {stdio: ['ignore', 'ignore', 'ignore'], detached: true});
	return {
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		},
	};
};
