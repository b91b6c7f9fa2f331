import assert from 'node:assert/strict';
import os from 'node:os';
import {describe, it} from 'node:test';
import {checkStorageCredentials} from '../src/config/check-storage-credentials.js';
import {ConfigError} from '../src/config/config-error.js';
import {defaultSlots} from '../src/config/default-slots.js';
import {renderLimits, loadConfig, workerSlots} from '../src/config/load-config.js';

describe('loadConfig', () => {
	it('applies defaults once', () => {
		const config = loadConfig({}, {HOME: '/home/u'});
		assert.equal(config.port, 3000);
		assert.equal(config.host, '127.0.0.1');
		assert.equal(config.maxRenders, 1);
		assert.equal(config.framesPerChunk, 150);
		assert.equal(config.chunkRetries, 1);
		assert.equal(config.apiKeys, null);
		assert.equal(config.browserExecutable, null);
		assert.equal(config.cacheDir, '/home/u/.cache/framefarm');
		assert.equal(config.concurrency, null);
		assert.equal(config.redis, null);
		assert.equal(config.s3, null);
	});

	it('reads the environment, and flags win over it', () => {
		const env = {FRAMEFARM_PORT: '4000', FRAMEFARM_API_KEYS: ' a, b ,,', FRAMEFARM_MAX_RENDERS: '3', REMOTION_AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret'};
		const config = loadConfig({port: 5000}, env);
		assert.equal(config.port, 5000);
		assert.deepEqual(config.apiKeys, ['a', 'b']);
		assert.equal(config.maxRenders, 3);
		assert.deepEqual(config.storageCredentials, {accessKeyId: 'id', secretAccessKey: 'secret'});
	});

	it('reads durations, origins and limits', () => {
		const config = loadConfig({}, {FRAMEFARM_RETENTION: '12h', FRAMEFARM_ALLOWED_ORIGINS: 'https://cdn.example.com/, http://10.0.0.2:8080', FRAMEFARM_BROWSER_MEMORY_MB: '0', FRAMEFARM_RATE_LIMIT: '5'});
		assert.equal(config.retentionMs, 12 * 3600 * 1000);
		assert.equal(loadConfig({}, {}).retentionMs, 7 * 24 * 3600 * 1000);
		assert.deepEqual(config.allowedOrigins, ['https://cdn.example.com', 'http://10.0.0.2:8080']);
		assert.equal(renderLimits(config).memoryBytes, null);
		assert.equal(renderLimits(loadConfig({}, {})).memoryBytes, 3072 * 1024 * 1024);
		assert.equal(config.limits.submitsPerMinute, 5);
	});

	it('chooses the render priority by what the API thread can take, unless asked otherwise', () => {
		assert.equal(loadConfig({}, {}).renderPriority, 'auto');
		assert.equal(loadConfig({}, {FRAMEFARM_RENDER_PRIORITY: 'background'}).renderPriority, 'background');
		assert.equal(loadConfig({}, {FRAMEFARM_RENDER_PRIORITY: 'normal'}).renderPriority, 'normal');
	});

	for (const [env, pattern] of [
		[{FRAMEFARM_PORT: 'abc'}, /--port \/ FRAMEFARM_PORT/],
		[{FRAMEFARM_MAX_RENDERS: '0'}, /FRAMEFARM_MAX_RENDERS/],
		[{FRAMEFARM_CONCURRENCY: '-2'}, /FRAMEFARM_CONCURRENCY/],
		[{FRAMEFARM_BUCKET_NAME: 'No_Such'}, /FRAMEFARM_BUCKET_NAME: must be a valid bucket name/],
		[{FRAMEFARM_SERVER_URL: 'not a url'}, /FRAMEFARM_SERVER_URL/],
		[{FRAMEFARM_RETENTION: '7 days'}, /FRAMEFARM_RETENTION: "7 days" is not a duration such as 7d/],
		[{FRAMEFARM_ALLOWED_ORIGINS: 'https://ok.example.com,https://cdn.example.com/path'}, /FRAMEFARM_ALLOWED_ORIGINS: "https:\/\/cdn.example.com\/path" is not an origin/],
		[{FRAMEFARM_MAX_FPS: '500'}, /FRAMEFARM_MAX_FPS/],
		[{FRAMEFARM_BROWSER_MEMORY_MB: '-1'}, /FRAMEFARM_BROWSER_MEMORY_MB/],
		[{FRAMEFARM_RENDER_PRIORITY: 'high'}, /FRAMEFARM_RENDER_PRIORITY: must be auto, background or normal/],
	] as const) {
		it(`names the variable in error: ${Object.keys(env)[0]}`, () => {
			assert.throws(() => loadConfig({}, env), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));
		});
	}
});

describe('workerSlots', () => {
	it('gives an API server in distributed mode no slots unless asked', () => {
		const distributed = loadConfig({}, {FRAMEFARM_REDIS_URL: 'redis://127.0.0.1:6379'});
		assert.equal(workerSlots(distributed, 'serve'), 0);
		assert.ok(workerSlots(distributed, 'worker') >= 1);
		assert.equal(workerSlots(loadConfig({concurrency: 3}, {FRAMEFARM_REDIS_URL: 'redis://x'}), 'serve'), 3);
		assert.ok(workerSlots(loadConfig({}, {}), 'serve') >= 1);
	});

	it('defaults to one and a half slots a core, at most one per 1.5 GB of memory', () => {
		const expected = Math.max(1, Math.min(Math.floor(os.availableParallelism() * 1.5), Math.floor(os.totalmem() / (1.5 * 1024 ** 3))));
		assert.equal(defaultSlots(), expected);
		assert.equal(workerSlots(loadConfig({}, {}), 'worker'), expected);
		assert.equal(workerSlots(loadConfig({}, {}), 'render'), expected);
	});
});

describe('checkStorageCredentials', () => {
	it('answers the app’s configuration errors', () => {
		assert.match(checkStorageCredentials({accessKeyId: null, secretAccessKey: null}) ?? '', /^Set up the S3 storage credentials to render videos.*See the README\.md/);
		assert.equal(checkStorageCredentials({accessKeyId: 'id', secretAccessKey: null}), 'The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing. Add it to your .env file.');
		assert.equal(checkStorageCredentials({accessKeyId: null, secretAccessKey: 's'}), 'The environment variable REMOTION_AWS_ACCESS_KEY_ID is missing. Add it to your .env file.');
		assert.equal(checkStorageCredentials({accessKeyId: 'id', secretAccessKey: 's'}), null);
	});
});
