import {useEffect, useState, type FormEvent} from 'react';
import type {VideoConfig} from 'remotion';
import {getSites, listCompositions, submitRender, type Farm} from '../api';
import {formatAge, formatBytes} from '../format';
import {ErrorLine} from '../components/error-line';

type Site = Awaited<ReturnType<typeof getSites>>['sites'][number];

/** One site: its compositions (POST /api/compositions) and a form to render one with JSON props. */
const SiteDetail = ({farm, site}: {farm: Farm; site: Site}) => {
	const [compositions, setCompositions] = useState<VideoConfig[] | null>(null);
	const [composition, setComposition] = useState('');
	const [props, setProps] = useState('{}');
	const [error, setError] = useState<string | null>(null);

	useEffect(() => {
		setCompositions(null);
		listCompositions(farm, site.siteName).then(
			(list) => {
				setCompositions(list);
				setComposition(list[0]?.id ?? '');
				setProps(JSON.stringify(list[0]?.defaultProps ?? {}, null, 2));
			},
			(err: Error) => setError(err.message),
		);
	}, [farm, site.siteName]);

	const render = async (event: FormEvent) => {
		event.preventDefault();
		setError(null);
		let inputProps: Record<string, unknown>;
		try {
			inputProps = JSON.parse(props) as Record<string, unknown>;
		} catch (err) {
			setError(`The props are not JSON: ${(err as Error).message}`);
			return;
		}
		try {
			const {renderId} = await submitRender({...farm, siteName: site.siteName, composition, inputProps});
			window.location.hash = `#/renders/${renderId}`;
		} catch (err) {
			setError((err as Error).message);
		}
	};

	return (
		<section className="card site-detail">
			<h2>{site.siteName}</h2>
			{compositions === null ? (
				error === null ? <p className="muted">Loading its compositions…</p> : null
			) : (
				<form onSubmit={render}>
					<table className="compositions">
						<thead>
							<tr>
								<th>Composition</th>
								<th>Size</th>
								<th>Duration</th>
							</tr>
						</thead>
						<tbody>
							{compositions.map((item) => (
								<tr key={item.id}>
									<td>{item.id}</td>
									<td>
										{item.width}×{item.height}
									</td>
									<td>
										{item.durationInFrames} frames at {item.fps} fps
									</td>
								</tr>
							))}
						</tbody>
					</table>
					<label>
						Composition{' '}
						<select
							value={composition}
							onChange={(event) => {
								setComposition(event.target.value);
								setProps(JSON.stringify(compositions.find((item) => item.id === event.target.value)?.defaultProps ?? {}, null, 2));
							}}
						>
							{compositions.map((item) => (
								<option key={item.id}>{item.id}</option>
							))}
						</select>
					</label>
					<label htmlFor="props">Props (JSON)</label>
					<textarea id="props" value={props} onChange={(event) => setProps(event.target.value)} rows={6} spellCheck={false} />
					<button type="submit" className="primary" disabled={composition === ''}>
						Render
					</button>
				</form>
			)}
			<ErrorLine message={error} />
		</section>
	);
};

/** The key's deployed sites and the shared ones. */
export const SitesPage = ({farm}: {farm: Farm}) => {
	const [sites, setSites] = useState<Site[] | null>(null);
	const [selected, setSelected] = useState<string | null>(null);
	const [error, setError] = useState<string | null>(null);

	useEffect(() => {
		getSites(farm).then(({sites: list}) => setSites(list), (err: Error) => setError(err.message));
	}, [farm]);

	const site = sites?.find((item) => item.siteName === selected) ?? null;
	return (
		<main className="page">
			<div className="page-head">
				<h1>Sites</h1>
			</div>
			<ErrorLine message={error} />
			{sites === null ? null : sites.length === 0 ? (
				<p className="muted">
					No sites yet. Deploy a Remotion project with <code>npx framefarm sites create src/index.ts --site-name my-video</code>.
				</p>
			) : (
				<ul className="sites">
					{sites.map((item) => (
						<li key={`${item.shared}-${item.siteName}`}>
							<button type="button" className={`site ${item.siteName === selected ? 'selected' : ''}`} onClick={() => setSelected(item.siteName)} aria-pressed={item.siteName === selected}>
								<strong>{item.siteName}</strong>
								{item.shared ? <span className="badge">shared</span> : null}
								<span className="muted">
									{item.files} files · {formatBytes(item.sizeInBytes)} · deployed {formatAge(item.deployedAt)}
								</span>
							</button>
						</li>
					))}
				</ul>
			)}
			{site === null ? null : <SiteDetail farm={farm} site={site} />}
		</main>
	);
};
