import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * ffmpeg or ffprobe as shipped inside Remotion's compositor package. They find their shared
 * libraries themselves (RPATH $ORIGIN).
 */
export const compositorBinary = (name: 'ffmpeg' | 'ffprobe'): string => {
	const libc = process.platform === 'linux' ? '-gnu' : '';
	const pkg = require.resolve(`@remotion/compositor-${process.platform}-${process.arch}${libc}/package.json`);
	return path.join(path.dirname(pkg), name);
};
