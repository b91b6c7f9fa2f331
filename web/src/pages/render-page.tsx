import {useCallback, useEffect, useRef, useState} from 'react';
import {cancelRender, followEvents, getChunks, getLog, getRenderProgress, renderAgain as queueAgain, type ChunkRow, type Farm, type RenderProgress} from '../api';
import {ChunkTimeline} from '../components/chunk-timeline';
import {ErrorLine} from '../components/error-line';
import {LivePlayer} from '../components/live-player';
import {ProgressBar} from '../components/progress-bar';
import {StatusBadge} from '../components/status-badge';
import {formatBytes, formatCost, formatSeconds} from '../format';

// Chunks and the log are read again at most this often while events arrive.
const REFRESH_MS = 1000;

const statusOf = (progress: RenderProgress): string =>
	progress.done ? 'done' : progress.fatalErrorEncountered ? (progress.errors.some((error) => error.message === 'cancelled') ? 'cancelled' : 'error') : progress.queuePosition !== null ? 'queued' : 'rendering';

/** One render: the video, its figures, its chunks on a timeline, its errors and its log. */
export const RenderPage = ({farm, renderId}: {farm: Farm; renderId: string}) => {
	const [progress, setProgress] = useState<RenderProgress | null>(null);
	const [chunks, setChunks] = useState<ChunkRow[]>([]);
	const [log, setLog] = useState('');
	const [error, setError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const lastRefresh = useRef(0);

	const refreshDetails = useCallback(
		async (force: boolean) => {
			if (!force && Date.now() - lastRefresh.current < REFRESH_MS) {
				return;
			}
			lastRefresh.current = Date.now();
			const [rows, text] = await Promise.all([getChunks(farm, renderId), getLog(farm, renderId)]);
			setChunks(rows.chunks);
			setLog(text);
		},
		[farm, renderId],
	);

	useEffect(() => {
		const controller = new AbortController();
		setProgress(null);
		setError(null);
		(async () => {
			setProgress(await getRenderProgress({...farm, renderId}));
			await refreshDetails(true);
			await followEvents<RenderProgress>(
				farm,
				`/api/render/${encodeURIComponent(renderId)}/events`,
				(_event, data) => {
					setProgress(data);
					void refreshDetails(data.done || data.fatalErrorEncountered);
				},
				controller.signal,
			);
			await refreshDetails(true);
		})().catch((err: Error) => {
			if (!controller.signal.aborted) {
				setError(err.message);
			}
		});
		return () => controller.abort();
	}, [farm, renderId, refreshDetails]);

	if (progress === null) {
		return <main className="page">{error === null ? <p className="muted">Loading…</p> : <ErrorLine message={error} />}</main>;
	}
	const status = statusOf(progress);
	const finished = progress.done || progress.fatalErrorEncountered;
	const meta = progress.renderMetadata;

	const cancel = async () => {
		setBusy(true);
		try {
			await cancelRender({...farm, renderId});
		} catch (err) {
			setError((err as Error).message);
		} finally {
			setBusy(false);
		}
	};
	const renderAgain = async () => {
		setBusy(true);
		try {
			const {renderId: next} = await queueAgain(farm, renderId);
			window.location.hash = `#/renders/${next}`;
		} catch (err) {
			setError((err as Error).message);
		} finally {
			setBusy(false);
		}
	};

	return (
		<main className="page render-page">
			<div className="page-head">
				<h1>
					Render <code>{renderId}</code>
				</h1>
				<StatusBadge status={status} />
				<div className="actions">
					{finished ? null : (
						<button type="button" onClick={cancel} disabled={busy}>
							Cancel
						</button>
					)}
					<button type="button" onClick={renderAgain} disabled={busy}>
						Render again
					</button>
				</div>
			</div>
			<ErrorLine message={error} />
			<ProgressBar value={progress.overallProgress} status={status} />
			{(progress.done && progress.outputFile !== null) || (progress.liveUrl !== null && !progress.fatalErrorEncountered) ? (
				<section className="output">
					<LivePlayer
						key={renderId}
						liveUrl={progress.liveUrl}
						outputUrl={progress.done ? progress.outputFile : null}
						playsThroughAt={progress.livePlaysThroughAt}
						serverNow={progress.currentTime}
					/>
					{progress.done && progress.outputFile !== null ? (
						<a className="button" href={progress.outputFile} download>
							Download ({formatBytes(progress.outputSizeInBytes)})
						</a>
					) : null}
				</section>
			) : null}
			<section>
				<h2>Figures</h2>
				<dl className="figures">
					<dt>Composition</dt>
					<dd>
						{meta?.compositionId ?? '–'} {meta ? `· ${meta.dimensions.width}×${meta.dimensions.height} · ${meta.fps} fps · ${meta.codec}` : ''}
					</dd>
					<dt>Frames</dt>
					<dd>
						{progress.framesRendered} rendered · {progress.framesEncoded} encoded of {meta?.totalFrames ?? '–'}
					</dd>
					<dt>Chunks</dt>
					<dd>
						{progress.chunks} of {meta?.totalChunks ?? '–'} done
					</dd>
					<dt>Queue position</dt>
					<dd>{progress.queuePosition === null ? '–' : `#${progress.queuePosition}`}</dd>
					<dt>Time</dt>
					<dd>{progress.timeToFinish === null ? '–' : formatSeconds(progress.timeToFinish / 1000)}</dd>
					<dt>Cost</dt>
					<dd>{formatCost(progress.costs.accruedSoFar)}</dd>
				</dl>
			</section>
			<section>
				<h2>Chunks</h2>
				<ChunkTimeline chunks={chunks} now={progress.currentTime} />
			</section>
			{progress.errors.length === 0 ? null : (
				<section>
					<h2>Errors</h2>
					<ul className="errors">
						{progress.errors.map((entry, index) => (
							<li key={index} className="error-entry" data-chunk={entry.chunk ?? ''} data-frame={entry.frame ?? ''}>
								<p>
									<strong>{entry.chunk === null ? 'Render' : `Chunk ${entry.chunk}`}</strong>
									{entry.frame === null ? null : <> · frame {entry.frame}</>}
									{entry.attempt > 0 ? <> · attempt {entry.attempt}</> : null}
									{entry.willRetry ? <> · retried</> : null}
								</p>
								<p className="error-message">{entry.message}</p>
								{entry.stack ? (
									<details>
										<summary>Stack</summary>
										<pre>{entry.stack}</pre>
									</details>
								) : null}
							</li>
						))}
					</ul>
				</section>
			)}
			<section>
				<h2>Log</h2>
				<pre className="log">{log}</pre>
			</section>
		</main>
	);
};
