import crypto from 'node:crypto';
import {keepDataDirSecret, readDataDirSecret} from './data-dir-secret.js';

export const API_KEY_FILE = 'api-key';

/** The key kept in the data dir, or null when there is none yet. */
export const readStoredApiKey = (dataDir: string): string | null => readDataDirSecret(dataDir, API_KEY_FILE);

/**
 * The keys the server accepts: FRAMEFARM_API_KEYS when set; otherwise one key kept in the data
 * dir, created (readable by this user only) on first start.
 */
export const loadApiKeys = (configured: string[] | null, dataDir: string): {keys: string[]; created: boolean} => {
	if (configured !== null) {
		return {keys: configured, created: false};
	}
	const {value, created} = keepDataDirSecret(dataDir, API_KEY_FILE, () => `ff_${crypto.randomBytes(24).toString('base64url')}`);
	return {keys: [value], created};
};
