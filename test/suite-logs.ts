import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

// Every framefarm process the suite starts writes its output here, and every API key, token and
// webhook secret the suite hands out is listed beside it: test/zz-suite-logs.test.ts, which runs
// last, checks that no log holds any of them. `npm test` empties the folder first.
export const SUITE_LOGS = path.join(fileURLToPath(new URL('..', import.meta.url)), 'test-output', 'logs');
const SECRETS_FILE = path.join(SUITE_LOGS, 'secrets.txt');

/** A file of its own for one process's output. */
export const suiteLogFile = (name: string): string => {
	fs.mkdirSync(SUITE_LOGS, {recursive: true});
	return path.join(SUITE_LOGS, `${name}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}.log`);
};

/** Notes a secret that must never appear in a log; returns it. One of a few letters would be found anywhere: refused. */
export const rememberSecret = <T extends string | null | undefined>(secret: T): T => {
	if (secret && secret.length < 8) {
		throw new Error(`"${secret}": give the test a secret of 8 characters or more, which the log check can look for`);
	}
	if (secret) {
		fs.mkdirSync(SUITE_LOGS, {recursive: true});
		fs.appendFileSync(SECRETS_FILE, `${secret}\n`);
	}
	return secret;
};

/** A webhook secret no log line may hold. */
export const testWebhookSecret = (): string => rememberSecret(`whsec-${crypto.randomBytes(12).toString('hex')}`);

export const rememberedSecrets = (): string[] =>
	fs.existsSync(SECRETS_FILE) ? [...new Set(fs.readFileSync(SECRETS_FILE, 'utf8').split('\n').filter(Boolean))] : [];
