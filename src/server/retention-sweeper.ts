import type {Backend} from '../backend/backend.js';
import type {Storage} from '../storage/storage.js';
import {renderFolder} from '../worker/render-keys.js';

const BATCH = 100;

/**
 * Removes every render that finished more than `retentionMs` ago: its files first, then its
 * record, so a crash between the two leaves a record to sweep again rather than orphaned files.
 * Returns how many renders were removed.
 */
export const sweepExpiredRenders = async ({
	backend,
	storage,
	retentionMs,
	now,
}: {
	backend: Backend;
	storage: Storage;
	retentionMs: number;
	now: number;
}): Promise<number> => {
	let removed = 0;
	for (;;) {
		const ids = await backend.listFinishedBefore(now - retentionMs, BATCH);
		for (const id of ids) {
			await storage.deletePrefix(renderFolder(id));
			await backend.deleteRender(id);
			removed++;
		}
		if (ids.length < BATCH) {
			return removed;
		}
	}
};

export type RetentionSweeper = {stop: () => Promise<void>};

/** Sweeps now and then: a few times per retention period, at least every 10 minutes. */
export const startRetentionSweeper = ({
	backend,
	storage,
	retentionMs,
	now = Date.now,
	onSwept,
	onError,
}: {
	backend: Backend;
	storage: Storage;
	retentionMs: number;
	now?: () => number;
	onSwept?: (count: number) => void;
	onError?: (err: unknown) => void;
}): RetentionSweeper => {
	const intervalMs = Math.max(250, Math.min(retentionMs / 4, 10 * 60_000));
	let running: Promise<void> | null = null;
	const sweep = () => {
		// A slow sweep is not overlapped by the next one.
		running ??= sweepExpiredRenders({backend, storage, retentionMs, now: now()})
			.then((count) => {
				if (count > 0) {
					onSwept?.(count);
				}
			})
			// A storage or Redis hiccup: the next sweep tries again.
			.catch((err: unknown) => onError?.(err))
			.finally(() => {
				running = null;
			});
	};
	const timer = setInterval(sweep, intervalMs);
	timer.unref();
	sweep();
	return {
		stop: async () => {
			clearInterval(timer);
			await running;
		},
	};
};
