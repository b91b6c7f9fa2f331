import fs from 'node:fs/promises';

/** The TSX to render: from a file, or from stdin when the argument is `-`. */
export const readCode = async (source: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> => {
	if (source !== '-') {
		return fs.readFile(source, 'utf8');
	}
	const parts: Buffer[] = [];
	for await (const part of stdin) {
		parts.push(typeof part === 'string' ? Buffer.from(part) : part);
	}
	return Buffer.concat(parts).toString('utf8');
};
