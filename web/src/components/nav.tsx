import type {Route} from '../use-route';

const LINKS: {page: Route['page']; href: string; label: string}[] = [
	{page: 'renders', href: '#/renders', label: 'Renders'},
	{page: 'playground', href: '#/playground', label: 'Playground'},
	{page: 'sites', href: '#/sites', label: 'Sites'},
];

export const Nav = ({route, onSignOut}: {route: Route; onSignOut: () => void}) => (
	<header className="nav">
		<a className="brand" href="#/renders">
			framefarm
		</a>
		<nav aria-label="Pages">
			{LINKS.map((link) => (
				<a key={link.page} href={link.href} aria-current={route.page === link.page || (route.page === 'render' && link.page === 'renders') ? 'page' : undefined}>
					{link.label}
				</a>
			))}
		</nav>
		<button type="button" className="link-button" onClick={onSignOut}>
			Sign out
		</button>
	</header>
);
