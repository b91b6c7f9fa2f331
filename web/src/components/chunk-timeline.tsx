import type {ChunkRow} from '../api';

/**
 * One row per worker slot, each chunk attempt a bar from its start to its end: a slow chunk is
 * a long bar, a retried one shows its failed attempt (red) or lost one (grey, striped) before it.
 */
export const ChunkTimeline = ({chunks, now}: {chunks: ChunkRow[]; now: number}) => {
	const attempts = chunks.flatMap((chunk) => chunk.attempts.map((attempt) => ({...attempt, chunk})));
	if (attempts.length === 0) {
		return <p className="muted">No chunk has started yet.</p>;
	}
	const start = Math.min(...attempts.map((attempt) => attempt.startedAt));
	const end = Math.max(...attempts.map((attempt) => attempt.endedAt ?? now));
	const span = Math.max(1, end - start);
	const slots = [...new Set(attempts.map((attempt) => attempt.worker ?? 'unknown'))].sort();
	return (
		<div className="timeline" role="table" aria-label="Chunk timeline">
			{slots.map((slot) => (
				<div className="timeline-row" role="row" key={slot} data-slot={slot}>
					<div className="timeline-slot" role="rowheader" title={slot}>
						{slot}
					</div>
					<div className="timeline-track" role="cell">
						{attempts
							.filter((attempt) => (attempt.worker ?? 'unknown') === slot)
							.map((attempt) => (
								<div
									key={`${attempt.chunk.index}-${attempt.attempt}`}
									className={`timeline-bar bar-${attempt.outcome}`}
									data-chunk={attempt.chunk.index}
									data-attempt={attempt.attempt}
									data-outcome={attempt.outcome}
									style={{left: `${((attempt.startedAt - start) / span) * 100}%`, width: `${Math.max(0.5, (((attempt.endedAt ?? now) - attempt.startedAt) / span) * 100)}%`}}
									title={`Chunk ${attempt.chunk.index} (frames ${attempt.chunk.frameRange[0]}-${attempt.chunk.frameRange[1]}), attempt ${attempt.attempt}: ${attempt.outcome}, ${(((attempt.endedAt ?? now) - attempt.startedAt) / 1000).toFixed(1)} s`}
								>
									{attempt.chunk.index}
								</div>
							))}
					</div>
				</div>
			))}
			<p className="timeline-legend muted">
				{((end - start) / 1000).toFixed(1)} s from the first chunk's start · <span className="legend bar-done">done</span> <span className="legend bar-rendering">rendering</span>{' '}
				<span className="legend bar-failed">failed</span> <span className="legend bar-lost">lost</span>
			</p>
		</div>
	);
};
