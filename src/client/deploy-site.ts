import fs from 'node:fs';
import path from 'node:path';
import {listSiteFiles} from '../sites/site-manifest.js';
import {apiErrorOf} from './api-error.js';
import {readJsonOrNull, requestJson, type ServerOptions} from './request-json.js';
import type {SiteSummary} from './sites.js';

export type DeployProgress = {phase: 'uploading'; doneBytes: number; totalBytes: number; doneFiles: number; totalFiles: number};

// Node only (it reads the bundle from disk): not part of the browser-safe client in index.ts.

/**
 * Deploys a bundled site folder under `siteName`, replacing the site of that name: uploads only
 * the files the bucket does not hold already, then makes them the site's contents.
 */
export const deploySiteFolder = async ({
	bundleDir,
	siteName,
	shared = false,
	onProgress,
	...server
}: ServerOptions & {bundleDir: string; siteName: string; shared?: boolean; onProgress?: (progress: DeployProgress) => void}): Promise<SiteSummary & {uploadedFiles: number; uploadedBytes: number; removedFiles: number}> => {
	const files = await listSiteFiles(bundleDir);
	const site = `/api/sites/${encodeURIComponent(siteName)}`;
	const query = shared ? '?shared=true' : '';
	const {missing} = await requestJson<{missing: string[]}>(server, 'POST', `${site}/plan${query}`, {files});
	const wanted = new Set(missing);
	const uploads = files.filter((file) => wanted.delete(file.sha256));
	const totalBytes = uploads.reduce((sum, file) => sum + file.size, 0);
	let doneBytes = 0;
	for (const [index, file] of uploads.entries()) {
		const body = await fs.openAsBlob(path.join(bundleDir, ...file.path.split('/')));
		const response = await fetch(`${server.serverUrl.replace(/\/+$/, '')}${site}/contents/${file.sha256}${query}`, {
			method: 'PUT',
			headers: {authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/octet-stream'},
			body,
		});
		const answer = await readJsonOrNull(response);
		if (!response.ok) {
			throw apiErrorOf(response, answer);
		}
		doneBytes += file.size;
		onProgress?.({phase: 'uploading', doneBytes, totalBytes, doneFiles: index + 1, totalFiles: uploads.length});
	}
	const summary = await requestJson<SiteSummary & {removedFiles: number}>(server, 'PUT', `${site}${query}`, {files});
	return {...summary, uploadedFiles: uploads.length, uploadedBytes: totalBytes};
};
