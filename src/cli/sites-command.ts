import {parseArgs} from 'node:util';
import {deleteSite, getSites} from '../client/sites.js';
import {SITE_NAME} from '../sites/site-manifest.js';
import {clientOptions} from './client-options.js';
import {formatBytes} from './format-bytes.js';
import {defaultSiteName, deployProject} from './deploy-project.js';
import {UsageError} from './usage-error.js';

export const SITES_USAGE = `framefarm sites create <entry-point> [--site-name NAME] [--shared] [--server URL] [--api-key KEY]
framefarm sites ls [--server URL] [--api-key KEY]
framefarm sites rm <site-name> [--shared] [--server URL] [--api-key KEY]

create  bundles a Remotion project (the file that calls registerRoot(), its node_modules, its
        public/ folder and the webpack override of its remotion.config.ts) and deploys it to the
        server as a site of your key; deploying the same name again replaces it, uploading only
        the files that changed. The name defaults to the project's package.json name. A site is
        your key's alone; with --shared every key may render it, and only yours replace or remove it.
ls      lists your sites with their serve URLs.
rm      removes a site and its files.

The server defaults to FRAMEFARM_SERVER_URL or http://localhost:3000; the key to FRAMEFARM_API_KEY,
then to the one serve keeps in the data dir.`;

const CLIENT_FLAGS = {server: {type: 'string'}, 'api-key': {type: 'string'}, 'data-dir': {type: 'string'}} as const;

const create = async (argv: string[]) => {
	const {values, positionals} = parseArgs({args: argv, allowPositionals: true, options: {...CLIENT_FLAGS, 'site-name': {type: 'string'}, shared: {type: 'boolean'}}});
	const [entryPoint] = positionals;
	if (entryPoint === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one entry point (the file that calls registerRoot()).\n\n${SITES_USAGE}`);
	}
	const siteName = values['site-name'] ?? defaultSiteName(entryPoint);
	if (!SITE_NAME.test(siteName)) {
		throw new UsageError(`--site-name must be 1-63 lowercase letters, digits and dashes, starting with a letter or digit; got "${siteName}"`);
	}
	const server = clientOptions(values);
	const site = await deployProject({entryPoint, siteName, shared: values.shared ?? false, server});
	process.stdout.write(
		[
			`Deployed the ${site.shared ? 'shared ' : ''}site "${site.siteName}": ${site.files} files, ${formatBytes(site.sizeInBytes)} (${site.uploadedFiles} uploaded, ${formatBytes(site.uploadedBytes)}; the rest unchanged)`,
			`serveUrl: ${site.serveUrl}`,
			'',
			'Render a composition of it:',
			`  npx framefarm render ${site.siteName} --composition <id> --props '{}' --server ${server.serverUrl}`,
			`  curl -X POST ${server.serverUrl.replace(/\/+$/, '')}/api/render -H "Authorization: Bearer $FRAMEFARM_API_KEY" -H "Content-Type: application/json" \\`,
			`    -d '{"siteName": "${site.siteName}", "composition": "<composition id>", "inputProps": {}}'`,
			'',
		].join('\n'),
	);
	return 0;
};

const list = async (argv: string[]) => {
	const {values} = parseArgs({args: argv, options: CLIENT_FLAGS});
	const {sites} = await getSites(clientOptions(values));
	if (sites.length === 0) {
		process.stdout.write('No sites yet: deploy one with framefarm sites create <entry-point>\n');
		return 0;
	}
	for (const site of sites) {
		process.stdout.write(`${site.siteName.padEnd(24)} ${site.shared ? 'shared' : 'yours '} ${formatBytes(site.sizeInBytes).padStart(9)}  ${new Date(site.deployedAt).toISOString()}  ${site.serveUrl}\n`);
	}
	return 0;
};

const remove = async (argv: string[]) => {
	const {values, positionals} = parseArgs({args: argv, allowPositionals: true, options: {...CLIENT_FLAGS, shared: {type: 'boolean'}}});
	const [siteName] = positionals;
	if (siteName === undefined || positionals.length > 1) {
		throw new UsageError(`Expected one site name.\n\n${SITES_USAGE}`);
	}
	await deleteSite({...clientOptions(values), siteName, shared: values.shared ?? false});
	process.stdout.write(`Removed the site "${siteName}".\n`);
	return 0;
};

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {create, ls: list, rm: remove};

export const sitesCommand = async (argv: string[]): Promise<number> => {
	const [name, ...rest] = argv;
	const run = name === undefined ? undefined : SUBCOMMANDS[name];
	if (!run) {
		throw new UsageError(`Expected create, ls or rm.\n\n${SITES_USAGE}`);
	}
	return run(rest);
};
