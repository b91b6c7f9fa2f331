import fs from 'node:fs';
import path from 'node:path';
import {publishFolder} from '../render/publish-folder.js';
import type {Storage} from '../storage/storage.js';
import {sha256OfFile} from './site-manifest.js';
import {createSiteStore} from './site-store.js';
import {siteKeys} from './site-keys.js';

/** A deployed site as a render pins it. */
export type SiteVersion = {owner: string; name: string; hash: string};

/** The site's files are not in the bucket as the render pinned them: the render cannot go on. */
export class SiteUnavailableError extends Error {}

/** The cache dir's folder of a site version: what the site server serves it under. */
export const siteFolder = (hash: string) => `site-${hash}`;

/**
 * Deployed sites fetched from the bucket into the cache dir, once per version (by hash), next
 * to the built-in site, so one site server serves them all. Each file is checked against its
 * hash; a folder appears only when complete (renamed from a staging folder).
 */
export const createSiteCache = ({cacheDir, storage}: {cacheDir: string; storage: Storage}) => {
	const pending = new Map<string, Promise<string>>();
	const store = createSiteStore(storage);

	const fetchSite = async (site: SiteVersion): Promise<string> => {
		const folder = siteFolder(site.hash);
		const target = path.join(cacheDir, folder);
		if (fs.existsSync(path.join(target, 'index.html'))) {
			return folder;
		}
		const manifest = await store.get(site.owner, site.name);
		if (manifest === null) {
			throw new SiteUnavailableError(`The site "${site.name}" was removed before this render finished`);
		}
		if (manifest.hash !== site.hash) {
			throw new SiteUnavailableError(`The site "${site.name}" was deployed again (now ${manifest.hash}) before this render of version ${site.hash} finished: submit the render again`);
		}
		fs.mkdirSync(cacheDir, {recursive: true});
		const staging = fs.mkdtempSync(path.join(cacheDir, '.staging-'));
		try {
			const keys = siteKeys(site.owner, site.name);
			for (const file of manifest.files) {
				const local = path.join(staging, ...file.path.split('/'));
				fs.mkdirSync(path.dirname(local), {recursive: true});
				await storage.downloadFile(keys.content(file.sha256), local);
				if ((await sha256OfFile(local)) !== file.sha256) {
					throw new SiteUnavailableError(`The site "${site.name}" changed while it was fetched (${file.path}): submit the render again`);
				}
			}
			publishFolder(staging, target);
			return folder;
		} finally {
			fs.rmSync(staging, {recursive: true, force: true});
		}
	};

	return {
		/** The folder name of the site version in the cache dir, fetching it first if needed. */
		ensure: (site: SiteVersion): Promise<string> => {
			const running = pending.get(site.hash);
			if (running) {
				return running;
			}
			const fetching = fetchSite(site).finally(() => pending.delete(site.hash));
			pending.set(site.hash, fetching);
			return fetching;
		},
	};
};

export type SiteCache = ReturnType<typeof createSiteCache>;
