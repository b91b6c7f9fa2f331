import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {deploySiteFolder} from '../client/deploy-site.js';
import type {ServerOptions} from '../client/request-json.js';
import {bundleProject} from '../sites/bundle-project.js';
import {SITE_NAME} from '../sites/site-manifest.js';
import {formatBytes} from './format-bytes.js';
import {createProgressBar} from './progress-bar.js';

/** A site name from the project's package.json name ("@acme/Promo Video" -> "acme-promo-video"), else a random one. */
export const defaultSiteName = (entryPoint: string): string => {
	for (let dir = path.dirname(path.resolve(entryPoint)); ; dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) {
			const name = String((JSON.parse(fs.readFileSync(file, 'utf8')) as {name?: unknown}).name ?? '')
				.toLowerCase()
				.replace(/[^a-z0-9]+/g, '-')
				.replace(/^-+|-+$/g, '')
				.slice(0, 63);
			return SITE_NAME.test(name) ? name : `site-${crypto.randomBytes(4).toString('hex')}`;
		}
		if (path.dirname(dir) === dir) {
			return `site-${crypto.randomBytes(4).toString('hex')}`;
		}
	}
};

/** Bundles the project of `entryPoint` and deploys it as `siteName`, with progress bars on stderr. */
export const deployProject = async ({entryPoint, siteName, shared = false, server}: {entryPoint: string; siteName: string; shared?: boolean; server: ServerOptions}) => {
	const bar = createProgressBar();
	const bundleDir = await bundleProject({entryPoint, onProgress: (percent) => bar.update('bundling', percent, 100, '')});
	try {
		return await deploySiteFolder({
			...server,
			bundleDir,
			siteName,
			shared,
			onProgress: ({doneBytes, totalBytes, doneFiles, totalFiles}) => bar.update('uploading', doneBytes, totalBytes, `${doneFiles}/${totalFiles} files, ${formatBytes(doneBytes)}`),
		});
	} finally {
		bar.finish();
		fs.rmSync(bundleDir, {recursive: true, force: true});
	}
};
