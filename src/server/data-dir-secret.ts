import fs from 'node:fs';
import path from 'node:path';

/** A secret kept in a file of the data dir, or null when there is none yet. */
export const readDataDirSecret = (dataDir: string, file: string): string | null => {
	try {
		const value = fs.readFileSync(path.join(dataDir, file), 'utf8').trim();
		return value === '' ? null : value;
	} catch {
		return null;
	}
};

/** The secret in the data dir's `file`, created (readable by this user only) when there is none. */
export const keepDataDirSecret = (dataDir: string, file: string, create: () => string): {value: string; created: boolean} => {
	const stored = readDataDirSecret(dataDir, file);
	if (stored !== null) {
		return {value: stored, created: false};
	}
	const value = create();
	fs.mkdirSync(dataDir, {recursive: true});
	fs.writeFileSync(path.join(dataDir, file), `${value}\n`, {mode: 0o600});
	return {value, created: true};
};
