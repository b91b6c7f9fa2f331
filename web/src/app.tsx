import {useMemo, useState} from 'react';
import {farmWithKey} from './api';
import {Nav} from './components/nav';
import {forgetKey, storedKey, storeKey} from './key-store';
import {PlaygroundPage} from './pages/playground-page';
import {RenderPage} from './pages/render-page';
import {RendersPage} from './pages/renders-page';
import {SignIn} from './pages/sign-in';
import {SitesPage} from './pages/sites-page';
import {useRoute} from './use-route';

export const App = () => {
	const [key, setKey] = useState(storedKey);
	const route = useRoute();
	const farm = useMemo(() => (key === null ? null : farmWithKey(key)), [key]);

	if (farm === null) {
		return (
			<SignIn
				onSignedIn={(signedIn) => {
					storeKey(signedIn);
					setKey(signedIn);
				}}
			/>
		);
	}
	return (
		<>
			<Nav
				route={route}
				onSignOut={() => {
					forgetKey();
					setKey(null);
				}}
			/>
			{route.page === 'render' ? (
				<RenderPage key={route.renderId} farm={farm} renderId={route.renderId} />
			) : route.page === 'playground' ? (
				<PlaygroundPage farm={farm} />
			) : route.page === 'sites' ? (
				<SitesPage farm={farm} />
			) : (
				<RendersPage farm={farm} />
			)}
		</>
	);
};
