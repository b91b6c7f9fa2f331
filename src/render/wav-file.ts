import fs from 'node:fs';

/** Where a WAV file's samples are, and their shape. */
export type WavLayout = {
	sampleRate: number;
	/** Bytes per sample frame (all channels). */
	blockAlign: number;
	dataOffset: number;
	dataBytes: number;
};

/** Reads a RIFF/WAVE file's fmt and data chunks (ffmpeg writes a LIST chunk between them). */
export const readWavLayout = (file: string): WavLayout => {
	const fd = fs.openSync(file, 'r');
	try {
		const size = fs.fstatSync(fd).size;
		const header = Buffer.alloc(12);
		fs.readSync(fd, header, 0, 12, 0);
		if (header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') {
			throw new Error(`${file} is not a WAV file`);
		}
		let sampleRate = 0;
		let blockAlign = 0;
		for (let offset = 12; offset + 8 <= size; ) {
			const chunk = Buffer.alloc(8);
			fs.readSync(fd, chunk, 0, 8, offset);
			const id = chunk.toString('ascii', 0, 4);
			const length = chunk.readUInt32LE(4);
			if (id === 'fmt ') {
				const format = Buffer.alloc(16);
				fs.readSync(fd, format, 0, 16, offset + 8);
				sampleRate = format.readUInt32LE(4);
				blockAlign = format.readUInt16LE(12);
			} else if (id === 'data') {
				if (blockAlign === 0) {
					break;
				}
				// A data chunk the writer could not size (streamed) runs to the end of the file.
				const dataBytes = Math.min(length, size - offset - 8);
				return {sampleRate, blockAlign, dataOffset: offset + 8, dataBytes: dataBytes - (dataBytes % blockAlign)};
			}
			offset += 8 + length + (length % 2);
		}
		throw new Error(`${file} has no fmt or data chunk`);
	} finally {
		fs.closeSync(fd);
	}
};

/** How many sample frames a WAV file holds. */
export const wavSampleCount = (file: string): number => {
	const layout = readWavLayout(file);
	return layout.dataBytes / layout.blockAlign;
};

/**
 * Writes `samples` sample frames of a WAV file from `fromSample` on as a WAV of its own, the same
 * format; before the start (a negative `fromSample`) and past the end of the input it writes
 * silence, so the output has the length asked for.
 */
export const sliceWav = (inFile: string, outFile: string, fromSample: number, samples: number): void => {
	const layout = readWavLayout(inFile);
	const header = Buffer.alloc(layout.dataOffset);
	const fd = fs.openSync(inFile, 'r');
	try {
		fs.readSync(fd, header, 0, layout.dataOffset, 0);
		const data = Buffer.alloc(samples * layout.blockAlign);
		const silentBefore = Math.min(data.length, Math.max(0, -fromSample) * layout.blockAlign);
		const start = layout.dataOffset + Math.max(0, fromSample) * layout.blockAlign;
		const available = Math.max(0, Math.min(data.length - silentBefore, layout.dataOffset + layout.dataBytes - start));
		fs.readSync(fd, data, silentBefore, available, start);
		// The RIFF size and the data size follow the slice; every chunk before the data is kept.
		header.writeUInt32LE(header.length - 8 + data.length, 4);
		header.writeUInt32LE(data.length, layout.dataOffset - 4);
		fs.writeFileSync(outFile, Buffer.concat([header, data]));
	} finally {
		fs.closeSync(fd);
	}
};
