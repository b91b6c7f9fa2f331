// Letters, digits, and . _ - between slashes; no empty, '.' or '..' segments, no leading slash.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Throws unless `key` is a safe relative object key (a prefix may end in '/'). */
export const checkKey = (key: string, {prefix = false}: {prefix?: boolean} = {}): string => {
	const body = prefix && key.endsWith('/') ? key.slice(0, -1) : key;
	const segments = body.split('/');
	if (body === '' || key.length > 512 || !segments.every((segment) => SEGMENT.test(segment) && !/^\.+$/.test(segment))) {
		throw new RangeError(`Invalid object key "${key}"`);
	}
	return key;
};
