import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {describe, it} from 'node:test';
import {createLogger} from '../src/logging/create-logger.js';

/** A logger writing into a string, as if to a terminal or not. */
const capture = (logFormat: 'json' | 'pretty' | 'auto', isTTY: boolean) => {
	const stream = Object.assign(new PassThrough(), {isTTY});
	let text = '';
	stream.on('data', (data: Buffer) => (text += data.toString()));
	return {logger: createLogger({logFormat, logLevel: 'info'}, stream), text: () => text};
};

describe('the process log', () => {
	it('writes JSON lines when not on a terminal, and lines for people on one (auto)', () => {
		const piped = capture('auto', false);
		piped.logger.info({renderId: 'r1', chunk: 2, attempt: 1, worker: 'host:1/slot-0'}, 'chunk done');
		const record = JSON.parse(piped.text().trim()) as Record<string, unknown>;
		assert.equal(record.msg, 'chunk done');
		assert.deepEqual([record.renderId, record.chunk, record.attempt, record.worker, record.level], ['r1', 2, 1, 'host:1/slot-0', 30]);

		const terminal = capture('auto', true);
		terminal.logger.info({renderId: 'r1', chunk: 2}, 'chunk done');
		assert.throws(() => JSON.parse(terminal.text()), 'not JSON on a terminal');
		assert.match(terminal.text(), /INFO.*chunk done.*renderId.*"r1"/);
	});

	it('takes FRAMEFARM_LOG_FORMAT over the terminal check', () => {
		const json = capture('json', true);
		json.logger.warn('redis away');
		assert.equal((JSON.parse(json.text()) as {level: number}).level, 40);
		const pretty = capture('pretty', false);
		pretty.logger.warn('redis away');
		assert.match(pretty.text(), /WARN.*redis away/);
	});

	it('never writes an API key, a webhook secret or a credential, wherever a call passes one', () => {
		const {logger, text} = capture('json', false);
		logger.info(
			{
				headers: {authorization: 'Bearer key-123'},
				job: {webhook: {url: 'https://hooks.example.com', secret: 'whsec-abc'}},
				apiKey: 'key-456',
				credentials: {secretAccessKey: 'aws-secret'},
			},
			'request',
		);
		for (const secret of ['key-123', 'whsec-abc', 'key-456', 'aws-secret']) {
			assert.ok(!text().includes(secret), `${secret} was written: ${text()}`);
		}
		assert.match(text(), /hooks\.example\.com/, 'the rest of the record is kept');
	});
});
