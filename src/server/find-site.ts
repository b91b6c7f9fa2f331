import type {RenderSite} from '../backend/render-record.js';
import {SHARED_SITES} from '../sites/site-keys.js';
import type {AppContext} from './app-context.js';
import {HttpError} from './http-error.js';
import {siteNameOfServeUrl} from './site-name-of-serve-url.js';

export type DeployedSite = Extract<RenderSite, {kind: 'deployed'}>;

/**
 * The deployed site a request names by siteName or serveUrl: the key's own of that name, else a
 * shared one, pinned to its current version. Another key's site is as absent as a missing one.
 */
export const findSite = async (context: AppContext, owner: string, request: {siteName?: string | undefined; serveUrl?: string | undefined}): Promise<DeployedSite> => {
	const name = request.siteName ?? siteNameOfServeUrl(request.serveUrl!, context.publicUrl);
	const own = await context.sites.get(owner, name);
	const manifest = own ?? (await context.sites.get(SHARED_SITES, name));
	if (manifest === null) {
		throw new HttpError(400, 'site_not_found', `${request.siteName === undefined ? 'serveUrl' : 'siteName'}: this key has no site "${name}"; deploy it with: npx framefarm sites create <entry-point> --site-name ${name}`);
	}
	return {kind: 'deployed', owner: own === null ? SHARED_SITES : owner, name, hash: manifest.hash};
};
