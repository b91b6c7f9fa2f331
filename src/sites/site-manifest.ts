import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';

import {SITE_NAME} from './site-name.js';

export {SITE_NAME};
export const siteNameSchema = z.string({error: 'must be a string'}).regex(SITE_NAME, 'must be 1-63 lowercase letters, digits and dashes, starting with a letter or digit');

// A bundle's relative path: no empty, '.' or '..' segments, no backslashes or control characters.
const isBundlePath = (value: string) =>
	value.length <= 1024 && !value.startsWith('/') && !/[\\\u0000-\u001f]/.test(value) && value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

export const siteFileSchema = z.object({
	path: z.string({error: 'must be a string'}).refine(isBundlePath, 'must be a relative path inside the bundle'),
	size: z.number({error: 'must be a number'}).int('must be a whole number').min(0, 'must be at least 0'),
	sha256: z.string({error: 'must be a string'}).regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
});
export type SiteFile = z.infer<typeof siteFileSchema>;

export const MAX_SITE_FILES = 20_000;
export const siteFilesSchema = z
	.array(siteFileSchema, {error: 'must be an array of {path, size, sha256}'})
	.min(1, 'is empty: a site has at least its index.html')
	.max(MAX_SITE_FILES, `must hold at most ${MAX_SITE_FILES} files`)
	.refine((files) => files.some((file) => file.path === 'index.html'), 'must include index.html (the bundle of a Remotion project has one)')
	.refine((files) => new Set(files.map((file) => file.path)).size === files.length, 'must not name a path twice');

/** A deployed site as stored next to its files: what renders pin (by hash) and workers fetch. */
export type SiteManifest = {
	siteName: string;
	/** Of every path and content: a site deployed again unchanged keeps its hash. */
	hash: string;
	files: SiteFile[];
	deployedAt: number;
	/** The key (its hash) that deployed it: for a shared site, the one key that may replace or remove it. */
	deployedBy: string;
	/** Every key may render it (it lives under SHARED_SITES). */
	shared: boolean;
};

export const siteHash = (files: readonly SiteFile[]): string => {
	const hash = crypto.createHash('sha256');
	for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
		hash.update(`${file.path}\0${file.sha256}\n`);
	}
	return hash.digest('hex').slice(0, 32);
};

export const sha256OfFile = async (file: string): Promise<string> => {
	const hash = crypto.createHash('sha256');
	for await (const chunk of fs.createReadStream(file)) {
		hash.update(chunk as Buffer);
	}
	return hash.digest('hex');
};

/** Every file of a bundle folder, with its size and hash, for a deploy. */
export const listSiteFiles = async (dir: string): Promise<SiteFile[]> => {
	const relative = (fs.readdirSync(dir, {recursive: true, withFileTypes: true}) as fs.Dirent[])
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
		.sort();
	return Promise.all(relative.map(async (file) => ({path: file, size: fs.statSync(path.join(dir, file)).size, sha256: await sha256OfFile(path.join(dir, file))})));
};
