import {useState, type FormEvent} from 'react';
import {farmWithKey, FramefarmApiError, listRenders} from '../api';
import {ErrorLine} from '../components/error-line';

/** Asks for an API key and checks it against the API before keeping it. */
export const SignIn = ({onSignedIn}: {onSignedIn: (key: string) => void}) => {
	const [key, setKey] = useState('');
	const [error, setError] = useState<string | null>(null);
	const [checking, setChecking] = useState(false);

	const submit = async (event: FormEvent) => {
		event.preventDefault();
		setChecking(true);
		setError(null);
		try {
			await listRenders(farmWithKey(key.trim()), {offset: 0, status: null});
			onSignedIn(key.trim());
		} catch (err) {
			setError(err instanceof FramefarmApiError && err.status === 401 ? 'This API key was refused: check it and try again.' : `The farm did not answer: ${(err as Error).message}`);
		} finally {
			setChecking(false);
		}
	};

	return (
		<main className="sign-in">
			<form onSubmit={submit} className="card">
				<h1>framefarm</h1>
				<p>Sign in with an API key of this farm. It stays in this browser.</p>
				<label htmlFor="api-key">API key</label>
				<input id="api-key" type="password" autoComplete="current-password" value={key} onChange={(event) => setKey(event.target.value)} required autoFocus />
				<ErrorLine message={error} />
				<button type="submit" disabled={checking || key.trim() === ''}>
					{checking ? 'Checking…' : 'Sign in'}
				</button>
			</form>
		</main>
	);
};
