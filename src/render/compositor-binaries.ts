import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const compositorDir = (): string => {
	const libc = process.platform === 'linux' ? '-gnu' : '';
	return path.dirname(require.resolve(`@remotion/compositor-${process.platform}-${process.arch}${libc}/package.json`));
};

/** ffmpeg and ffprobe as shipped inside Remotion's compositor package, with their shared libraries. */
export const compositorBinary = (name: 'ffmpeg' | 'ffprobe'): {file: string; env: NodeJS.ProcessEnv} => {
	const dir = compositorDir();
	return {file: path.join(dir, name), env: {...process.env, LD_LIBRARY_PATH: dir}};
};
