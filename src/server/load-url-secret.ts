import crypto from 'node:crypto';
import {keepDataDirSecret} from './data-dir-secret.js';

/**
 * The secret that signs header-free file URLs: FRAMEFARM_URL_SECRET when set (the same on every
 * API server behind one address), otherwise one kept in the data dir, created on first start.
 */
export const loadUrlSecret = (configured: string | null, dataDir: string): string =>
	configured ?? keepDataDirSecret(dataDir, 'url-secret', () => crypto.randomBytes(32).toString('base64url')).value;
