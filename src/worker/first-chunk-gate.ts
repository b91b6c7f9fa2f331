/**
 * Lets a render's first chunk set up and render with less company, so its first frame and its
 * segment of the live stream come sooner. Page set-up is CPU-bound (a fresh page, the bundle
 * evaluated, the composition found): when four slots set up at once on two cores, the first frame
 * comes out after all four. While a render's first chunk runs here, the chunks of that render this
 * worker takes after it wait: those that make at most `beforeFirstChunkEnds` running at once (one
 * a core) until it has rendered a frame, the ones past that (slots beyond one a core) until it has
 * ended; chunks below `startAtOnce` never. Each waits at most `maxWaitMs`. Chunks on other machines
 * never wait.
 */
export type FirstChunkGate = {
	/**
	 * Called as a chunk task starts, before anything else is awaited; resolves when the chunk may
	 * set up its page, with what the chunk tells the gate as it goes.
	 */
	enter: (renderId: string, chunkIndex: number, signal: AbortSignal) => Promise<FirstChunkEvents>;
};

export type FirstChunkEvents = {
	/** The chunk has rendered a frame. */
	rendered: () => void;
	/** The chunk has ended, done or not. */
	ended: () => void;
};

/** A render's first chunk while it runs here, and how many of the render's chunks run here with it. */
type Held = {rendered: Promise<void>; ended: Promise<void>; running: number};

const deferred = (): [Promise<void>, () => void] => {
	let resolve: () => void = () => undefined;
	const promise = new Promise<void>((done) => (resolve = done));
	return [promise, resolve];
};

export const createFirstChunkGate = ({
	startAtOnce,
	beforeFirstChunkEnds,
	maxWaitMs,
}: {
	startAtOnce: number;
	beforeFirstChunkEnds: number;
	maxWaitMs: number;
}): FirstChunkGate => {
	const held = new Map<string, Held>();

	const hold = (renderId: string): FirstChunkEvents => {
		const [rendered, render] = deferred();
		const [ended, end] = deferred();
		const entry = {rendered, ended, running: 1};
		held.set(renderId, entry);
		return {
			rendered: render,
			ended: () => {
				if (held.get(renderId) === entry) {
					held.delete(renderId);
				}
				render();
				end();
			},
		};
	};

	const waitFor = async (event: Promise<void>, signal: AbortSignal) => {
		let timer: NodeJS.Timeout | undefined;
		let onAbort: () => void = () => undefined;
		await Promise.race([
			event,
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
			const first = held.get(renderId);
			if (first === undefined) {
				return {rendered: () => undefined, ended: () => undefined};
			}
			// Counted before waiting, so chunks entering together see each other.
			first.running++;
			let counted = true;
			const leave = () => {
				if (counted) {
					counted = false;
					first.running--;
				}
			};
			if (chunkIndex >= startAtOnce) {
				await waitFor(first.running <= beforeFirstChunkEnds ? first.rendered : first.ended, signal);
			}
			return {rendered: () => undefined, ended: leave};
		},
	};
};
