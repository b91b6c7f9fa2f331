import {FAULTS, runFault, runS3GoneForGood, type FaultResult} from '../test/faults/farm-faults.js';
import {startRedisProcess} from '../test/faults/redis-process.js';
import {startFarm} from '../test/faults/start-farm.js';
import {runLoad} from './load.js';

// npm run faults: the failures of what framefarm stands on, one at a time, against a running
// render on a distributed farm (its own redis-server with an append-only file, the local S3
// server behind a proxy that can take it away, one API server, two workers), printed as a table. The short cases run in npm test (test/faults.test.ts).

const say = (line: string) => process.stdout.write(`${line}\n`);
const FRAMES = 240;

if (process.argv.includes('--load')) {
	const load = await runLoad();
	say(JSON.stringify(load, null, 2));
	const met = {
		everyRenderDone: load.done === load.renders,
		noPositionRose: load.positionsRose === 0,
		everyPageConsistent: load.inconsistentPages === 0,
		capHeld: load.refusedByCap > 0 && load.mostQueuedOfAKey <= load.cap,
		pollP99Within10MsWithTheApiFirst: load.pollsApiFirst.p99Ms <= 10,
		everySseClientGotItsFinalEvent: load.sseFinalEvents === load.sseClients,
		noProcessExited: load.exited.length === 0,
	};
	say(JSON.stringify(met, null, 2));
	process.exit(Object.values(met).every(Boolean) ? 0 : 1);
}

const results: FaultResult[] = [];
const redis = await startRedisProcess();
const farm = await startFarm({redis, env: {FRAMEFARM_S3_RETRY: '10s'}});
try {
	for (const fault of [FAULTS.redisPause(10), FAULTS.redisRestart(2), FAULTS.redisRestart(60), FAULTS.s3Gone(10)]) {
		say(`faults: ${fault.name}, during a ${FRAMES}-frame render ...`);
		const result = await runFault(farm, fault, {frames: FRAMES, framesPerChunk: 30});
		say(`  ${result.outcome}; API during the fault: ${result.apiDuringFault}`);
		results.push(result);
	}
	say('faults: S3 endpoint gone for good during a render ...');
	const gone = await runS3GoneForGood(farm, {frames: FRAMES, framesPerChunk: 30});
	say(`  ${gone.outcome}`);
	results.push(gone);
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
	r.queueOrderKept ? 'yes' : 'no',
]);
say('');
say('| fault | outcome | API answers again after | finished frames rendered twice | frames of repeated attempts | renders lost | queued renders kept their order |');
say('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
	say(`| ${row.join(' | ')} |`);
}
const failed = results.filter((r) => r.rendersLost > 0 || !r.queueOrderKept || r.framesRedoneAfterDone > 0 || r.exited.length > 0);
say(failed.length === 0 ? '\nEvery fault survived: no render lost, no finished frame rendered twice, queued renders kept their order, no process exited.' : `\n${failed.length} fault(s) not survived.`);
process.exitCode = failed.length === 0 ? 0 : 1;
