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
		const slow = hugePageAdvice(16.2, {anonymous: 'madvise', shared: 'never'});
		assert.match(slow ?? '', /16\.2 µs a page/);
		assert.match(slow ?? '', /transparent_hugepage\/enabled is 'madvise'/);
		assert.match(slow ?? '', /transparent_hugepage\/shmem_enabled is 'never'/);

		const sharedOnly = hugePageAdvice(16.2, {anonymous: 'always', shared: 'advise'});
		assert.doesNotMatch(sharedOnly ?? '', /\/enabled is/);
		assert.match(sharedOnly ?? '', /shmem_enabled is 'advise'/);

		assert.equal(hugePageAdvice(0.4, {anonymous: 'madvise', shared: 'never'}), null, 'cheap faults');
		assert.equal(hugePageAdvice(16.2, {anonymous: 'always', shared: 'within_size'}), null, 'huge pages on');
		assert.equal(hugePageAdvice(16.2, {anonymous: null, shared: null}), null, 'not Linux');
	});
});
