import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, it} from 'node:test';

const MODULE = new URL('../dist/cli/survive-closed-browser-rejections.js', import.meta.url).href;

// A process with the handler installed, whose one unhandled rejection is an error of the given name.
const rejectWith = (name: string) =>
	spawnSync(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`import {surviveClosedBrowserRejections} from '${MODULE}';
surviveClosedBrowserRejections({warn: (fields, message) => console.log('warned: ' + message)});
const err = new Error('Protocol error (Target.closeTarget): Target closed.');
err.name = ${JSON.stringify(name)};
Promise.reject(err);
setTimeout(() => console.log('still running'), 100);`,
		],
		{encoding: 'utf8'},
	);

describe('unhandled rejections of a closed browser connection', () => {
	it('logs a ProtocolError left pending by a closed browser and keeps the process running', () => {
		const result = rejectWith('ProtocolError');
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /warned: a browser call left pending when its browser closed: Protocol error \(Target.closeTarget\): Target closed\./);
		assert.match(result.stdout, /still running/);
	});

	it('still ends the process on any other unhandled rejection', () => {
		const result = rejectWith('TypeError');
		assert.equal(result.status, 1);
		assert.doesNotMatch(result.stdout, /still running/);
		assert.match(result.stderr, /Target closed/);
	});
});
