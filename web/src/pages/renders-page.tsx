import {useEffect, useState} from 'react';
import {followEvents, listQuery, type Farm, type RenderList} from '../api';
import {ErrorLine} from '../components/error-line';
import {ProgressBar} from '../components/progress-bar';
import {StatusBadge} from '../components/status-badge';
import {formatAge, formatBytes, formatCost, formatSeconds} from '../format';

const STATUSES = ['queued', 'rendering', 'stitching', 'done', 'error', 'cancelled'] as const;

/** The key's renders, newest first, kept live by one event stream of the page (GET /api/renders/events). */
export const RendersPage = ({farm}: {farm: Farm}) => {
	const [offset, setOffset] = useState(0);
	const [status, setStatus] = useState<string | null>(null);
	const [list, setList] = useState<RenderList | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [, setNow] = useState(Date.now());

	useEffect(() => {
		const controller = new AbortController();
		setError(null);
		followEvents<RenderList>(farm, `/api/renders/events?${listQuery({offset, status})}`, (_event, data) => setList(data), controller.signal).catch((err: Error) => {
			if (!controller.signal.aborted) {
				setError(`The list stopped updating: ${err.message}`);
			}
		});
		return () => controller.abort();
	}, [farm, offset, status]);

	// Ages move on between events.
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 10_000);
		return () => clearInterval(timer);
	}, []);

	return (
		<main className="page">
			<div className="page-head">
				<h1>Renders</h1>
				<label className="filter">
					Status{' '}
					<select
						value={status ?? ''}
						onChange={(event) => {
							setOffset(0);
							setStatus(event.target.value === '' ? null : event.target.value);
						}}
					>
						<option value="">all</option>
						{STATUSES.map((value) => (
							<option key={value} value={value}>
								{value}
							</option>
						))}
					</select>
				</label>
			</div>
			<ErrorLine message={error} />
			{list === null ? (
				<p className="muted">Loading…</p>
			) : list.renders.length === 0 ? (
				<p className="muted">{status === null ? 'No renders yet: try the Playground.' : `No ${status} renders.`}</p>
			) : (
				<table className="renders">
					<thead>
						<tr>
							<th>Render</th>
							<th>Status</th>
							<th className="grow">Progress</th>
							<th>Queue</th>
							<th>Frames</th>
							<th>Duration</th>
							<th>Size</th>
							<th>Cost</th>
							<th>Age</th>
						</tr>
					</thead>
					<tbody>
						{list.renders.map((render) => (
							<tr key={render.renderId} data-render-id={render.renderId}>
								<td data-label="Render">
									<a href={`#/renders/${render.renderId}`}>{render.renderId}</a>
								</td>
								<td data-label="Status">
									<StatusBadge status={render.status} />
								</td>
								<td data-label="Progress" className="grow">
									<ProgressBar value={render.overallProgress} status={render.status} />
								</td>
								<td data-label="Queue" className="queue-position">
									{render.queuePosition === null ? '–' : `#${render.queuePosition}`}
								</td>
								<td data-label="Frames">{render.durationInFrames}</td>
								<td data-label="Duration">{formatSeconds(render.durationInFrames / render.fps)}</td>
								<td data-label="Size">{formatBytes(render.outputSizeInBytes)}</td>
								<td data-label="Cost">{formatCost(render.estimatedCost)}</td>
								<td data-label="Age">{formatAge(render.createdAt)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<div className="pager">
				<button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 20))}>
					Newer
				</button>
				<button type="button" disabled={list?.nextOffset == null} onClick={() => list?.nextOffset != null && setOffset(list.nextOffset)}>
					Older
				</button>
			</div>
		</main>
	);
};
