import fs from 'node:fs';

const THP = '/sys/kernel/mm/transparent_hugepage';

/** Linux's transparent huge page modes for anonymous and for shared memory; null where unknown (not Linux). */
export type HugePages = {anonymous: string | null; shared: string | null};

export const transparentHugePages = (): HugePages => ({
	anonymous: selectedMode(`${THP}/enabled`),
	shared: selectedMode(`${THP}/shmem_enabled`),
});

// The file lists every mode and brackets the one in use: "always [madvise] never".
const selectedMode = (file: string): string | null => {
	try {
		return /\[([^\]]+)\]/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? null;
	} catch {
		return null;
	}
};

// Above glibc's largest mmap threshold (32 MiB), so the buffer is always freshly mapped memory.
const PROBE_BYTES = 40 * 1024 * 1024;
const PAGE_BYTES = 4096;

/**
 * Microseconds this process takes to touch a fresh 4 KiB page of memory: the kernel's page fault,
 * zeroing included. Under 1 µs on most machines; 12-25 µs measured in a Firecracker VM with a
 * memory balloon, where Chromium's GPU process, which maps three new 8 MB buffers for every 1080p
 * frame, spent most of its time faulting. With huge pages a fault covers 2 MiB, and the figure is
 * 512 times smaller. About 10,000 faults: 160 ms on that VM, a few ms elsewhere.
 */
export const measurePageFaultMicros = (): number => {
	const buffer = Buffer.allocUnsafeSlow(PROBE_BYTES);
	const startedAt = performance.now();
	for (let offset = 0; offset < PROBE_BYTES; offset += PAGE_BYTES) {
		buffer[offset] = 1;
	}
	return ((performance.now() - startedAt) * 1000) / (PROBE_BYTES / PAGE_BYTES);
};

// Ten times what a machine without a balloon takes, a third of what the slow one took.
const SLOW_FAULT_MICROS = 5;

/**
 * What an operator should hear at start-up where fresh memory is slow and huge pages would help:
 * both modes at 'always' made renders up to a third faster on such a machine (BENCHMARKS.md).
 * Null where there is nothing to say: huge pages are on, this is not Linux, or faults are cheap.
 * Faults are timed (faultMicros(), 0.2 s on the slow VM) only where the modes leave something to say.
 */
export const hugePageAdvice = (modes: HugePages, faultMicros: () => number): string | null => {
	const anonymousOn = modes.anonymous === 'always';
	const sharedOn = modes.shared === 'always' || modes.shared === 'within_size' || modes.shared === 'force';
	if (modes.anonymous === null || (anonymousOn && sharedOn)) {
		return null;
	}
	const micros = faultMicros();
	if (micros < SLOW_FAULT_MICROS) {
		return null;
	}
	const settings = [anonymousOn ? null : `${THP}/enabled is '${modes.anonymous}'`, sharedOn ? null : `${THP}/shmem_enabled is '${modes.shared}'`].filter((line) => line !== null);
	return (
		`Fresh memory is slow on this machine (${micros.toFixed(1)} µs a page, under 1 µs on most) and ${settings.join(' and ')}: ` +
		`Chromium maps new buffers for every frame, and renders ran up to a third faster with both set to 'always' ` +
		`(README, "Operating framefarm": the render machine)`
	);
};
