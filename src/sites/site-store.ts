import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {Readable} from 'node:stream';
import {readObjectText} from '../storage/read-object-text.js';
import type {Storage} from '../storage/storage.js';
import {siteHash, type SiteFile, type SiteManifest} from './site-manifest.js';
import {ownerSitesPrefix, SHARED_SITES, siteKeys} from './site-keys.js';

/** A deploy that cannot go on: the message names what is wrong (the API answers it as a 400). */
export class SiteDeployError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
	}
}

export type SiteStore = ReturnType<typeof createSiteStore>;

const withTempFile = async <T>(use: (file: string) => Promise<T>): Promise<T> => {
	const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'framefarm-site-'));
	try {
		return await use(path.join(dir, 'file'));
	} finally {
		await fs.promises.rm(dir, {recursive: true, force: true});
	}
};

/**
 * Deployed sites in the bucket, for the API: a deploy plans (which contents the bucket lacks),
 * uploads those, then commits the manifest, which makes the new version the site's. A render
 * pins the manifest's hash when it is submitted.
 */
export const createSiteStore = (storage: Storage) => {
	const storedContents = async (owner: string, siteName: string): Promise<Map<string, number>> =>
		new Map((await storage.list(siteKeys(owner, siteName).filesPrefix)).map((object) => [object.key.split('/').at(-2)!, object.size]));

	const get = async (owner: string, siteName: string): Promise<SiteManifest | null> => {
		const text = await readObjectText(storage, siteKeys(owner, siteName).manifest);
		return text === null ? null : (JSON.parse(text) as SiteManifest);
	};

	return {
		get,

		/** The contents of `files` the bucket does not hold yet for this site (by SHA-256). */
		plan: async (owner: string, siteName: string, files: readonly SiteFile[]): Promise<string[]> => {
			const stored = await storedContents(owner, siteName);
			return [...new Set(files.map((file) => file.sha256))].filter((sha256) => !stored.has(sha256));
		},

		/** Stores one content, checking that it is what its hash says. */
		putContent: async (owner: string, siteName: string, sha256: string, body: Readable): Promise<{size: number}> =>
			withTempFile(async (file) => {
				const hash = crypto.createHash('sha256');
				body.on('data', (part: Buffer) => hash.update(part));
				await pipeline(body, fs.createWriteStream(file));
				const actual = hash.digest('hex');
				if (actual !== sha256) {
					throw new SiteDeployError(`The body's SHA-256 is ${actual}, not ${sha256} as the URL says: it was changed or cut short on the way`, 'content_mismatch');
				}
				const stored = await storage.putFile(siteKeys(owner, siteName).content(sha256), file, 'application/octet-stream');
				return {size: stored.size};
			}),

		/**
		 * Makes `files` the site's contents once every one of them is stored, and removes the
		 * contents no longer used (a render of the version before may then fail: say so), and
		 * says how many those were.
		 */
		commit: async (owner: string, siteName: string, files: SiteFile[], deployed: {at: number; by: string}): Promise<{site: SiteManifest; removedFiles: number}> => {
			const keys = siteKeys(owner, siteName);
			const stored = await storedContents(owner, siteName);
			const missing = files.filter((file) => !stored.has(file.sha256));
			if (missing.length > 0) {
				throw new SiteDeployError(`${missing.length} file(s) were not uploaded: ${missing.slice(0, 5).map((file) => file.path).join(', ')}${missing.length > 5 ? ', ...' : ''}`, 'files_missing');
			}
			const wrongSize = files.find((file) => stored.get(file.sha256) !== file.size);
			if (wrongSize) {
				throw new SiteDeployError(`${wrongSize.path} is listed with ${wrongSize.size} bytes; its upload holds ${stored.get(wrongSize.sha256)}`, 'size_mismatch');
			}
			const manifest: SiteManifest = {siteName, hash: siteHash(files), files, deployedAt: deployed.at, deployedBy: deployed.by, shared: owner === SHARED_SITES};
			await withTempFile(async (file) => {
				await fs.promises.writeFile(file, JSON.stringify(manifest));
				await storage.putFile(keys.manifest, file, 'application/json');
			});
			const used = new Set(files.map((file) => file.sha256));
			const unused = [...stored.keys()].filter((sha256) => !used.has(sha256));
			await Promise.all(unused.map((sha256) => storage.deletePrefix(keys.contentFolder(sha256))));
			return {site: manifest, removedFiles: unused.length};
		},

		list: async (owner: string): Promise<SiteManifest[]> => {
			const manifests = (await storage.list(ownerSitesPrefix(owner))).filter((object) => /^sites\/[^/]+\/[^/]+\/site\.json$/.test(object.key));
			const sites = await Promise.all(manifests.map((object) => get(owner, object.key.split('/')[2]!)));
			return sites.filter((site): site is SiteManifest => site !== null).sort((a, b) => a.siteName.localeCompare(b.siteName));
		},

		remove: async (owner: string, siteName: string): Promise<boolean> => (await storage.deletePrefix(siteKeys(owner, siteName).prefix)) > 0,
	};
};
