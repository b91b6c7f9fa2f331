import path from 'node:path';
import {formatBytes} from './format-bytes.js';

/** The line a command prints for the file it wrote: where (relative when below the working dir), how big, how long it took. */
export const printWritten = (outFile: string, sizeInBytes: number, startedAt: number) => {
	const shown = path.relative(process.cwd(), outFile);
	process.stdout.write(`${shown.startsWith('..') ? outFile : shown}  ${formatBytes(sizeInBytes)} (${sizeInBytes} bytes)  rendered in ${((Date.now() - startedAt) / 1000).toFixed(1)}s\n`);
};
