/**
 * Remotion adds a SIGINT listener for every browser it opens, which kills that browser and exits
 * the process at once. For `framefarm worker` that made Ctrl-C drop the chunks in hand: they came
 * back only when their locks ran out, an attempt used. A command that stops gracefully on SIGINT
 * itself calls this first: those listeners are taken off as they are added, the command's own stop
 * closes the browsers, and Remotion's 'exit' listener still kills any left when the process ends.
 */
export const keepCtrlCGraceful = (): void => {
	process.on('newListener', (event: string | symbol, listener: (...args: unknown[]) => void) => {
		if (event === 'SIGINT' && isRemotionsBrowserExit(listener)) {
			// 'newListener' comes before the listener is added.
			queueMicrotask(() => process.removeListener('SIGINT', listener));
		}
	});
};

// Remotion's BrowserRunner: () => { killProcess(); process.exit(130); }
const isRemotionsBrowserExit = (listener: (...args: unknown[]) => void): boolean => {
	const source = listener.toString();
	return source.includes('killProcess()') && source.includes('process.exit(130)');
};
