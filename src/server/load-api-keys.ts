import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const API_KEY_FILE = 'api-key';

/** The key kept in the data dir, or null when there is none yet. */
export const readStoredApiKey = (dataDir: string): string | null => {
	try {
		const key = fs.readFileSync(path.join(dataDir, API_KEY_FILE), 'utf8').trim();
		return key === '' ? null : key;
	} catch {
		return null;
	}
};

/**
 * The keys the server accepts: FRAMEFARM_API_KEYS when set; otherwise one key kept in the data
 * dir, created (readable by this user only) on first start.
 */
export const loadApiKeys = (configured: string[] | null, dataDir: string): {keys: string[]; created: boolean} => {
	if (configured !== null) {
		return {keys: configured, created: false};
	}
	const stored = readStoredApiKey(dataDir);
	if (stored !== null) {
		return {keys: [stored], created: false};
	}
	const key = `ff_${crypto.randomBytes(24).toString('base64url')}`;
	fs.mkdirSync(dataDir, {recursive: true});
	fs.writeFileSync(path.join(dataDir, API_KEY_FILE), `${key}\n`, {mode: 0o600});
	return {keys: [key], created: true};
};
