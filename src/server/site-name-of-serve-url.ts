import {SITE_NAME} from '../sites/site-manifest.js';
import {badRequest} from './http-error.js';

/**
 * The site a serve URL names: one this API handed out (`{publicUrl}/api/sites/<name>/`), or any
 * URL whose path ends in `/sites/<name>/` (behind a proxy the public URL may differ).
 */
export const siteNameOfServeUrl = (serveUrl: string, publicUrl: string): string => {
	let pathname: string;
	try {
		pathname = new URL(serveUrl, publicUrl).pathname;
	} catch {
		throw badRequest(`serveUrl must be a URL, got "${serveUrl}"`);
	}
	const match = /\/sites\/([^/]+)\/?(?:index\.html)?$/.exec(pathname);
	if (!match || !SITE_NAME.test(match[1]!)) {
		throw badRequest(`serveUrl must be the serveUrl of a deployed site, like ${publicUrl}/api/sites/<site-name>/ (npx framefarm sites ls lists them)`);
	}
	return match[1]!;
};
