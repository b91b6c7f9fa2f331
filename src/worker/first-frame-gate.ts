/**
 * Lets a render's first chunk set up its page with less company, so its first frame comes sooner.
 * Page set-up is CPU-bound (a fresh page, the bundle evaluated, the composition found): when four
 * slots set up at once on two cores, the first frame comes out after all four. The first
 * `startAtOnce` chunks of a render start at once; the ones after them that this worker took wait
 * until the first chunk has rendered a frame, at most `maxWaitMs`. Chunks on other machines never
 * wait.
 */
export type FirstFrameGate = {
	/**
	 * Called as a chunk task starts, before anything else is awaited; resolves when the chunk may
	 * set up its page, with the function to call once it has rendered a frame or ended.
	 */
	enter: (renderId: string, chunkIndex: number, signal: AbortSignal) => Promise<() => void>;
};

export const createFirstFrameGate = ({startAtOnce, maxWaitMs}: {startAtOnce: number; maxWaitMs: number}): FirstFrameGate => {
	const held = new Map<string, Promise<void>>();

	const hold = (renderId: string): (() => void) => {
		let open: () => void = () => undefined;
		const opened = new Promise<void>((resolve) => (open = resolve));
		held.set(renderId, opened);
		return () => {
			if (held.get(renderId) === opened) {
				held.delete(renderId);
			}
			open();
		};
	};

	const waitFor = async (opened: Promise<void>, signal: AbortSignal) => {
		let timer: NodeJS.Timeout | undefined;
		let onAbort: () => void = () => undefined;
		await Promise.race([
			opened,
			new Promise<void>((resolve) => {
				timer = setTimeout(resolve, maxWaitMs);
				onAbort = () => resolve();
				signal.addEventListener('abort', onAbort, {once: true});
			}),
		]);
		clearTimeout(timer);
		signal.removeEventListener('abort', onAbort);
	};

	return {
		enter: async (renderId, chunkIndex, signal) => {
			if (chunkIndex === 0) {
				return hold(renderId);
			}
			const opened = held.get(renderId);
			if (chunkIndex >= startAtOnce && opened !== undefined) {
				await waitFor(opened, signal);
			}
			return () => undefined;
		},
	};
};
