/**
 * Resolves with the first SIGINT or SIGTERM. The listeners stay registered after it: while ffmpeg
 * runs, Remotion's execa loads signal-exit, which re-sends a signal to the process when it finds
 * itself the only listener left, and would kill the process in the middle of a graceful stop.
 * A second signal stops at once.
 */
export const waitForStopSignal = (): Promise<NodeJS.Signals> =>
	new Promise((resolve) => {
		let received = false;
		const onSignal = (signal: NodeJS.Signals) => {
			if (received) {
				process.exit(signal === 'SIGINT' ? 130 : 143);
			}
			received = true;
			resolve(signal);
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
	});
