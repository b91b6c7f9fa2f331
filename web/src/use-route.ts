import {useEffect, useState} from 'react';

// Pages live in the URL's hash (#/renders, #/renders/<id>, #/playground, #/sites): the server
// serves one page, and links, reloads and the back button work.
export type Route = {page: 'renders'} | {page: 'render'; renderId: string} | {page: 'playground'} | {page: 'sites'};

export const parseRoute = (hash: string): Route => {
	const [, page = 'renders', id] = hash.replace(/^#/, '').split('/');
	if (page === 'renders' && id) {
		return {page: 'render', renderId: decodeURIComponent(id)};
	}
	if (page === 'playground' || page === 'sites') {
		return {page};
	}
	return {page: 'renders'};
};

export const hrefOf = (route: Route): string => (route.page === 'render' ? `#/renders/${encodeURIComponent(route.renderId)}` : `#/${route.page}`);

export const useRoute = (): Route => {
	const [route, setRoute] = useState(() => parseRoute(window.location.hash));
	useEffect(() => {
		const onChange = () => setRoute(parseRoute(window.location.hash));
		window.addEventListener('hashchange', onChange);
		return () => window.removeEventListener('hashchange', onChange);
	}, []);
	return route;
};
