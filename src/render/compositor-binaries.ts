import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of Remotion's compositor package for this platform: its ffmpeg, ffprobe and
 * compositor find their shared libraries themselves (RPATH $ORIGIN). Passed to Remotion as
 * `binariesDirectory`, it also spares every ffmpeg start Remotion's musl check, a synchronous
 * process.report.getReport() that held the event loop for 10-30 ms each time.
 */
export const compositorDirectory = (): string => {
	const libc = process.platform === 'linux' ? '-gnu' : '';
	return path.dirname(require.resolve(`@remotion/compositor-${process.platform}-${process.arch}${libc}/package.json`));
};

/** ffmpeg or ffprobe as shipped inside Remotion's compositor package. */
export const compositorBinary = (name: 'ffmpeg' | 'ffprobe'): string => path.join(compositorDirectory(), name);
