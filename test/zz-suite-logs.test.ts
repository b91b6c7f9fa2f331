import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {rememberedSecrets, SUITE_LOGS} from './suite-logs.js';

// Named to run last (the runner takes files in name order, one at a time): it reads the logs of
// every framefarm process the suite started before it.
describe('the logs of the whole test suite', () => {
	it('hold no API key, metrics token, URL secret or webhook secret the suite handed out', (t) => {
		const logs = fs.existsSync(SUITE_LOGS) ? fs.readdirSync(SUITE_LOGS).filter((name) => name.endsWith('.log')) : [];
		if (logs.length === 0) {
			// This file run alone: there is nothing to read.
			t.skip('no suite logs: run with the whole suite (npm test)');
			return;
		}
		const secrets = rememberedSecrets();
		assert.ok(secrets.length >= 5, `the suite noted ${secrets.length} secrets: fewer than it hands out`);
		let lines = 0;
		for (const name of logs) {
			const text = fs.readFileSync(path.join(SUITE_LOGS, name), 'utf8');
			lines += text.split('\n').length;
			for (const secret of secrets) {
				assert.ok(!text.includes(secret), `${name} holds a secret the suite handed out (${secret.slice(0, 4)}…)`);
			}
		}
		assert.ok(lines > 100, `${logs.length} logs of ${lines} lines in all: too few to say anything`);
	});
});
