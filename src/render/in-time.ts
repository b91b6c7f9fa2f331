/**
 * `work`, or an error naming `what` once `ms` have passed without it settling. For the DevTools
 * waits a browser that is alive but answers nothing (frozen, swapping) would leave pending for
 * ever; the caller then treats the browser as in doubt.
 */
export const inTime = async <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			work,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
				timer.unref();
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
};
