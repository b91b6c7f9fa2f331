import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {api, makeTempDir, startServe} from './helpers.js';
import {startRedisProcess} from './faults/redis-process.js';

describe('the per-key submit rate with two API servers on one Redis', () => {
	it('holds across the servers: a key submits its rate once, not once per server', async () => {
		const redis = await startRedisProcess();
		const dir = makeTempDir();
		const env = {FRAMEFARM_REDIS_URL: redis.url, FRAMEFARM_API_KEYS: 'rate-key,other-key', FRAMEFARM_RATE_LIMIT: '4'};
		const servers = [await startServe({dataDir: path.join(dir, 'a'), env}), await startServe({dataDir: path.join(dir, 'b'), env})];
		try {
			const body = {inputProps: {code: 'export default () => null;', durationInFrames: 10, fps: 30}, width: 320, height: 180};
			const answers: number[] = [];
			for (let i = 0; i < 8; i++) {
				answers.push((await api(servers[i % 2]!, 'POST', '/api/render', body)).status);
			}
			assert.deepEqual(answers, [202, 202, 202, 202, 429, 429, 429, 429]);
			const refused = await api(servers[1]!, 'POST', '/api/render', body);
			assert.equal(refused.body.code, 'rate_limited');
			assert.match(refused.body.error, /may submit 4 renders a minute \(FRAMEFARM_RATE_LIMIT\)/);
			const other = {...servers[0]!, apiKey: 'other-key'};
			assert.equal((await api(other, 'POST', '/api/render', body)).status, 202, 'another key is not held back');
		} finally {
			await Promise.all(servers.map((server) => server.stop()));
			await redis.stop();
		}
	});
});
