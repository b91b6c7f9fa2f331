/**
 * Calls `fn` with the latest value at most once per `ms`; flush() sends what is pending. Keeps
 * per-frame progress from turning into a database write per frame.
 */
export const createThrottle = <T>(ms: number, fn: (value: T) => unknown) => {
	let pending: {value: T} | null = null;
	let last = 0;
	let timer: NodeJS.Timeout | null = null;

	const send = () => {
		timer = null;
		if (pending) {
			const {value} = pending;
			pending = null;
			last = Date.now();
			void fn(value);
		}
	};

	return {
		push: (value: T) => {
			pending = {value};
			const wait = last + ms - Date.now();
			if (wait <= 0) {
				send();
			} else if (timer === null) {
				timer = setTimeout(send, wait);
			}
		},
		flush: () => {
			if (timer) {
				clearTimeout(timer);
			}
			send();
		},
		cancel: () => {
			if (timer) {
				clearTimeout(timer);
			}
			timer = null;
			pending = null;
		},
	};
};
