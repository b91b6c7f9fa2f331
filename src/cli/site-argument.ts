import fs from 'node:fs';
import type {ServerOptions} from '../client/request-json.js';
import {SITE_NAME} from '../sites/site-manifest.js';
import {defaultSiteName, deployProject} from './deploy-project.js';
import {UsageError} from './usage-error.js';

/**
 * The site that `render` and `still` name: an entry point (a file) is bundled and deployed
 * first, under its project's name, as `sites create` does; anything else names a deployed site.
 */
export const siteOfArgument = async (source: string, server: ServerOptions): Promise<string> => {
	if (fs.existsSync(source) && fs.statSync(source).isFile()) {
		const siteName = defaultSiteName(source);
		await deployProject({entryPoint: source, siteName, server});
		return siteName;
	}
	if (!SITE_NAME.test(source)) {
		throw new UsageError(`"${source}" is neither an entry point (a file that calls registerRoot()) nor the name of a deployed site`);
	}
	return source;
};

/** --props: the composition's inputProps as a JSON object. */
export const parsePropsFlag = (value: string | undefined): Record<string, unknown> => {
	if (value === undefined) {
		return {};
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch (err) {
		throw new UsageError(`--props must be JSON: ${(err as Error).message}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new UsageError('--props must be a JSON object, such as \'{"title": "Hello"}\'');
	}
	return parsed as Record<string, unknown>;
};
