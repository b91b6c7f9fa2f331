/**
 * `work`, or what `late()` gives (or throws) once `ms` have passed without it settling: for waits
 * that may never end, such as DevTools commands to a browser that is alive but answers nothing, a
 * bucket that does not answer, or a compile that runs on.
 */
export const inTime = async <T>(work: Promise<T>, ms: number, late: () => T): Promise<T> => {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			work,
			new Promise<T>((resolve, reject) => {
				timer = setTimeout(() => {
					try {
						resolve(late());
					} catch (err) {
						reject(err);
					}
				}, ms);
				timer.unref();
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
};

/** A `late` for inTime(): an error naming what took too long. */
export const tookLonger =
	(what: string, ms: number) =>
	(): never => {
		throw new Error(`${what} took longer than ${ms} ms`);
	};
