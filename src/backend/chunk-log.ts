import type {ChunkRecord} from './render-record.js';

// The render log's lines about chunk attempts, written by both backends, and read back into each
// chunk's attempts for the dashboard's timeline: the log already holds when each attempt started
// and ended, on which worker slot, and how it ended. Writers and reader live here together.

export const attemptStartLine = (index: number, frameRange: [number, number], attempt: number, worker: string) =>
	`chunk ${index} (frames ${frameRange[0]}-${frameRange[1]}): attempt ${attempt} on ${worker}`;

export const chunkDoneLine = (index: number, ms: number, worker: string | null) => `chunk ${index}: done in ${ms} ms on ${worker}`;

export const handedBackLine = (index: number, worker: string) => `chunk ${index}: handed back by ${worker}, which is stopping`;

/** A chunk whose worker stopped renewing its lock (distributed mode): the error's message, and its log line. */
export const lostMessage = (worker: string | null) => `The worker rendering this chunk (${worker ?? 'unknown'}) stopped responding; the chunk is rendered again`;
export const lostLine = (index: number, worker: string | null) => `chunk ${index}: ${lostMessage(worker)}`;

/** The log line for a failed chunk attempt. */
export const chunkFailureLogLine = (
	chunk: Pick<ChunkRecord, 'index' | 'attempt'>,
	failure: {frame: number | null; message: string},
	{willRetry, totalAttempts}: {willRetry: boolean; totalAttempts: number},
): string =>
	`chunk ${chunk.index}: attempt ${chunk.attempt} of ${totalAttempts} failed${failure.frame === null ? '' : ` at frame ${failure.frame}`}: ${failure.message}${willRetry ? ' (will retry)' : ''}`;

export type AttemptOutcome = 'rendering' | 'done' | 'failed' | 'lost' | 'cancelled';
export type ChunkAttempt = {attempt: number; worker: string; startedAt: number; endedAt: number | null; outcome: AttemptOutcome};
export type ChunkTimeline = {index: number; frameRange: [number, number]; status: ChunkRecord['status']; attempts: ChunkAttempt[]};

const ENDINGS: [RegExp, AttemptOutcome][] = [
	[/^chunk (\d+): done in /, 'done'],
	[/^chunk (\d+): attempt \d+ of \d+ failed/, 'failed'],
	[/^chunk (\d+): (?:handed back by|The worker rendering this chunk)/, 'lost'],
];

/**
 * Each chunk's attempts from the render's log (lines as getLog() answers them: an ISO time, a
 * space, the line): when each started and ended, where, and how. Attempts still open when the
 * render ended (cancelled, failed elsewhere) end with it.
 */
export const chunkTimelines = (chunks: ChunkRecord[], log: string[]): ChunkTimeline[] => {
	const rows = new Map(chunks.map((chunk) => [chunk.index, {index: chunk.index, frameRange: chunk.frameRange, status: chunk.status, attempts: [] as ChunkAttempt[]}]));
	const open = (index: number) => rows.get(index)?.attempts.findLast((attempt) => attempt.endedAt === null);
	for (const entry of log) {
		const space = entry.indexOf(' ');
		const at = Date.parse(entry.slice(0, space));
		const line = entry.slice(space + 1);
		const start = /^chunk (\d+) \(frames \d+-\d+\): attempt (\d+) on (\S+)$/.exec(line);
		if (start) {
			rows.get(Number(start[1]))?.attempts.push({attempt: Number(start[2]), worker: start[3]!, startedAt: at, endedAt: null, outcome: 'rendering'});
			continue;
		}
		for (const [pattern, outcome] of ENDINGS) {
			const match = pattern.exec(line);
			const attempt = match ? open(Number(match[1])) : undefined;
			if (attempt) {
				attempt.endedAt = at;
				attempt.outcome = outcome;
			}
		}
		if (/^(?:cancelled|error): /.test(line)) {
			for (const row of rows.values()) {
				for (const attempt of row.attempts.filter((item) => item.endedAt === null)) {
					attempt.endedAt = at;
					attempt.outcome = 'cancelled';
				}
			}
		}
	}
	return [...rows.values()];
};
