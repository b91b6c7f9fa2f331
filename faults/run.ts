import {REDIS_FAULTS, runRedisFault, type FaultResult} from '../test/faults/redis-faults.js';
import {startRedisProcess} from '../test/faults/redis-process.js';
import {startFarm} from '../test/faults/start-farm.js';

// npm run faults: the failures framefarm stands on, one at a time, against a running render on
// a distributed farm (its own redis-server with an append-only file, the local S3 server, one
// API server, two workers), printed as a table. The short cases run in npm test (test/faults.test.ts).

const say = (line: string) => process.stdout.write(`${line}\n`);
const FRAMES = 240;

const results: FaultResult[] = [];
const redis = await startRedisProcess();
const farm = await startFarm({redisUrl: redis.url});
try {
	for (const fault of [REDIS_FAULTS.pause(10), REDIS_FAULTS.restart(2), REDIS_FAULTS.restart(60)]) {
		say(`faults: ${fault.name}, during a ${FRAMES}-frame render ...`);
		const result = await runRedisFault(farm, redis, fault, {frames: FRAMES, framesPerChunk: 30});
		say(`  ${result.outcome}; API during the fault: ${result.apiDuringFault}`);
		results.push(result);
	}
} finally {
	await farm.stop();
	await redis.stop();
}

const rows = results.map((r) => [
	r.fault,
	r.exited.length === 0 ? r.outcome : `${r.outcome}; exited: ${r.exited.join(', ')}`,
	r.recoverSeconds === null ? 'never' : `${r.recoverSeconds.toFixed(1)} s`,
	String(r.framesRedoneAfterDone),
	String(r.framesOfRepeatedAttempts),
	String(r.rendersLost),
]);
say('');
say('| fault | outcome | API answers again after | finished frames rendered twice | frames of repeated attempts | renders lost |');
say('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
	say(`| ${row.join(' | ')} |`);
}
const failed = results.filter((r) => r.rendersLost > 0 || r.framesRedoneAfterDone > 0 || r.exited.length > 0);
say(failed.length === 0 ? '\nEvery fault survived: no render lost, no finished frame rendered twice, no process exited.' : `\n${failed.length} fault(s) not survived.`);
process.exitCode = failed.length === 0 ? 0 : 1;
