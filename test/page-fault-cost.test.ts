import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {hugePageAdvice, measurePageFaultMicros, transparentHugePages} from '../src/render/page-fault-cost.js';

describe('what fresh memory costs on the render machine', () => {
	it('measures a page fault in microseconds and reads the huge page modes Linux brackets', () => {
		const micros = measurePageFaultMicros();
		assert.ok(Number.isFinite(micros) && micros > 0 && micros < 1000, `${micros} µs a page`);
		const modes = transparentHugePages();
		if (process.platform === 'linux') {
			assert.ok(['always', 'madvise', 'never'].includes(modes.anonymous ?? ''), `anonymous: ${modes.anonymous}`);
			assert.ok(['always', 'within_size', 'advise', 'never', 'deny', 'force'].includes(modes.shared ?? ''), `shared: ${modes.shared}`);
		}
	});

	it('advises huge pages only where faults are slow and a mode is not on, naming each setting to change', () => {
		const measured = (micros: number) => () => micros;
		const slow = hugePageAdvice({anonymous: 'madvise', shared: 'never'}, measured(16.2));
		assert.match(slow ?? '', /16\.2 µs a page/);
		assert.match(slow ?? '', /transparent_hugepage\/enabled is 'madvise'/);
		assert.match(slow ?? '', /transparent_hugepage\/shmem_enabled is 'never'/);

		const sharedOnly = hugePageAdvice({anonymous: 'always', shared: 'advise'}, measured(16.2));
		assert.doesNotMatch(sharedOnly ?? '', /\/enabled is/);
		assert.match(sharedOnly ?? '', /shmem_enabled is 'advise'/);

		assert.equal(hugePageAdvice({anonymous: 'madvise', shared: 'never'}, measured(0.4)), null, 'cheap faults');
		// Where the modes leave nothing to say, start-up spends no time on faults.
		const notTimed = () => assert.fail('faults timed where the modes leave nothing to say');
		assert.equal(hugePageAdvice({anonymous: 'always', shared: 'within_size'}, notTimed), null, 'huge pages on');
		assert.equal(hugePageAdvice({anonymous: null, shared: null}, notTimed), null, 'not Linux');
	});
});
