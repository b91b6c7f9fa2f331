import {Player, type PlayerRef} from '@remotion/player';
import {useEffect, useRef, useState} from 'react';
import {DynamicCode} from '../../../src/site/dynamic-code';
import {compile, followEvents, FramefarmApiError, submitRender, type Compiled, type CompileFailure, type Farm, type RenderProgress} from '../api';
import {CodeEditor} from '../components/code-editor';
import {ErrorLine} from '../components/error-line';
import {ProgressBar} from '../components/progress-bar';
import {EXAMPLES} from '../examples';

// The preview compiles this long after the last keystroke.
const COMPILE_DELAY_MS = 400;

type Timing = {durationInFrames: number; fps: number; width: number; height: number};
type Submitted = {renderId: string; progress: number; status: string; url: string | null; error: string | null};

const NumberField = ({label, value, onChange, min, max}: {label: string; value: number; onChange: (value: number) => void; min: number; max: number}) => (
	<label className="number-field">
		{label}
		<input type="number" value={value} min={min} max={max} onChange={(event) => onChange(Number(event.target.value))} />
	</label>
);

/**
 * Code in, video out: the preview is the farm's own composition (the built-in site's
 * DynamicCode) on code compiled by the farm's compiler (POST /api/compile), so what plays here is
 * what renders; Render submits it and follows its events to the finished video.
 */
export const PlaygroundPage = ({farm}: {farm: Farm}) => {
	const [code, setCode] = useState(EXAMPLES[0]!.code);
	const [timing, setTiming] = useState<Timing>({durationInFrames: 90, fps: 30, width: 1280, height: 720});
	const [compiled, setCompiled] = useState<Compiled | null>(null);
	const [failure, setFailure] = useState<CompileFailure | null>(null);
	const [runtimeError, setRuntimeError] = useState<string | null>(null);
	const [submitted, setSubmitted] = useState<Submitted | null>(null);
	const player = useRef<PlayerRef>(null);
	const following = useRef<AbortController | null>(null);

	useEffect(() => {
		let stale = false;
		const timer = setTimeout(async () => {
			const result = await compile(farm, code);
			if (stale) {
				return;
			}
			setRuntimeError(null);
			if (result.ok) {
				setCompiled(result.compiled);
				setFailure(null);
			} else {
				setFailure(result.failure);
			}
		}, COMPILE_DELAY_MS);
		return () => {
			stale = true;
			clearTimeout(timer);
		};
	}, [farm, code]);

	// A component that throws while it plays: the message and the frame.
	useEffect(() => {
		const ref = player.current;
		if (ref === null) {
			return;
		}
		const onError = (event: {detail: {error: Error}}) => setRuntimeError(`Runtime error at frame ${ref.getCurrentFrame()}: ${event.detail.error.message}`);
		ref.addEventListener('error', onError);
		return () => ref.removeEventListener('error', onError);
	}, [compiled]);

	useEffect(() => () => following.current?.abort(), []);

	const render = async () => {
		following.current?.abort();
		const controller = new AbortController();
		following.current = controller;
		try {
			const {renderId} = await submitRender({...farm, inputProps: {code, durationInFrames: timing.durationInFrames, fps: timing.fps}, width: timing.width, height: timing.height});
			setSubmitted({renderId, progress: 0, status: 'queued', url: null, error: null});
			await followEvents<RenderProgress>(
				farm,
				`/api/render/${renderId}/events`,
				(event, progress) =>
					setSubmitted({
						renderId,
						progress: progress.overallProgress,
						status: event === 'done' ? 'done' : event === 'error' ? 'error' : progress.queuePosition !== null ? 'queued' : 'rendering',
						url: progress.outputFile,
						error: event === 'error' ? (progress.errors[0]?.message ?? 'The render failed') : null,
					}),
				controller.signal,
			);
		} catch (err) {
			if (!controller.signal.aborted) {
				setSubmitted((current) => ({renderId: current?.renderId ?? '', progress: current?.progress ?? 0, status: 'error', url: null, error: err instanceof FramefarmApiError ? err.message : (err as Error).message}));
			}
		}
	};

	return (
		<main className="page playground">
			<div className="page-head">
				<h1>Playground</h1>
				<label className="filter">
					Example{' '}
					<select aria-label="Example" onChange={(event) => setCode(EXAMPLES[Number(event.target.value)]!.code)} defaultValue="0">
						{EXAMPLES.map((example, index) => (
							<option key={example.name} value={index}>
								{example.name}
							</option>
						))}
					</select>
				</label>
			</div>
			<div className="playground-grid">
				<section className="editor-pane">
					<CodeEditor value={code} onChange={setCode} mark={failure?.line == null ? null : {line: failure.line, column: failure.column ?? 0, message: failure.error}} />
					<ErrorLine message={failure?.error ?? null} className="compile-error" />
				</section>
				<section className="preview-pane">
					{compiled === null ? (
						<p className="muted">Compiling…</p>
					) : (
						<Player
							ref={player}
							className="player"
							component={DynamicCode}
							inputProps={{...compiled, ...timing}}
							durationInFrames={Math.max(1, timing.durationInFrames)}
							fps={Math.max(1, timing.fps)}
							compositionWidth={Math.max(2, timing.width)}
							compositionHeight={Math.max(2, timing.height)}
							style={{width: '100%', aspectRatio: `${timing.width} / ${timing.height}`}}
							controls
							loop
							acknowledgeRemotionLicense
						/>
					)}
					<ErrorLine message={runtimeError} className="runtime-error" />
					<div className="fields">
						<NumberField label="Frames" value={timing.durationInFrames} min={1} max={100_000} onChange={(durationInFrames) => setTiming({...timing, durationInFrames})} />
						<NumberField label="FPS" value={timing.fps} min={1} max={240} onChange={(fps) => setTiming({...timing, fps})} />
						<NumberField label="Width" value={timing.width} min={2} max={7680} onChange={(width) => setTiming({...timing, width})} />
						<NumberField label="Height" value={timing.height} min={2} max={7680} onChange={(height) => setTiming({...timing, height})} />
					</div>
					<button type="button" className="primary" onClick={render} disabled={failure !== null}>
						Render
					</button>
					{submitted === null ? null : (
						<div className="submitted">
							<p>
								<a href={`#/renders/${submitted.renderId}`}>Render {submitted.renderId}</a>: {submitted.status}
							</p>
							<ProgressBar value={submitted.progress} status={submitted.status} />
							<ErrorLine message={submitted.error} />
							{submitted.url === null ? null : <video className="result" src={submitted.url} controls autoPlay muted playsInline />}
						</div>
					)}
				</section>
			</div>
		</main>
	);
};
