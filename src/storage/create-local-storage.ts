import fs from 'node:fs';
import path from 'node:path';
import {checkKey} from './check-key.js';
import type {Storage, StoredObject} from './storage.js';

/** The embedded bucket: a folder on disk, served by the API under /files/. */
export const createLocalStorage = ({
	root,
	bucketName,
	fileUrl,
	minFreeBytes = 0,
}: {
	root: string;
	bucketName: string;
	/** Where a client fetches an object or browses a folder: the API's signed /files/ URL. */
	fileUrl: (key: string, expiresInSeconds?: number) => string;
	/**
	 * Space a store must leave free on the folder's disk, for the state database beside it: a
	 * render that would take it fails, and the database can still record that it failed.
	 */
	minFreeBytes?: number;
}): Storage => {
	fs.mkdirSync(root, {recursive: true});
	const fileOf = (key: string) => path.join(root, ...checkKey(key).split('/'));

	const walk = (dir: string): string[] => {
		if (!fs.existsSync(dir)) {
			return [];
		}
		return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
			const full = path.join(dir, entry.name);
			return entry.isDirectory() ? walk(full) : [full];
		});
	};

	return {
		bucketName,
		putFile: async (key, file) => {
			const target = fileOf(key);
			await fs.promises.mkdir(path.dirname(target), {recursive: true});
			const {size} = await fs.promises.stat(file);
			const noSpace = (why: string, cause?: unknown) =>
				new Error(`No space left on the device of the bucket folder ${root}: could not store ${key} (${size} bytes${why}); free some space and render again`, {cause});
			const disk = await fs.promises.statfs(root);
			if (disk.bavail * disk.bsize - size < minFreeBytes) {
				throw noSpace(`, keeping ${Math.round(minFreeBytes / 1024 / 1024)} MB free for the state database: FRAMEFARM_MIN_FREE_MB`);
			}
			// Copy to a temporary name first, so a reader never sees half a file; a copy that fails
			// (a full disk) leaves nothing behind.
			const partial = `${target}.partial-${process.pid}`;
			try {
				await fs.promises.copyFile(file, partial);
				await fs.promises.rename(partial, target);
			} catch (err) {
				await fs.promises.rm(partial, {force: true});
				throw (err as NodeJS.ErrnoException).code === 'ENOSPC' ? noSpace('', err) : err;
			}
			return {key, size};
		},
		downloadFile: async (key, destination) => {
			await fs.promises.copyFile(fileOf(key), destination);
		},
		head: async (key) => {
			const file = fileOf(key);
			try {
				const stat = await fs.promises.stat(file);
				return stat.isFile() ? {key, size: stat.size} : null;
			} catch {
				return null;
			}
		},
		list: async (prefix) => {
			checkKey(prefix, {prefix: true});
			const base = path.join(root, ...prefix.split('/').filter(Boolean));
			const files = prefix.endsWith('/') ? walk(base) : walk(path.dirname(base)).filter((f) => f.startsWith(base));
			return files
				.filter((file) => !file.includes('.partial-'))
				.map((file): StoredObject => ({key: path.relative(root, file).split(path.sep).join('/'), size: fs.statSync(file).size}))
				.sort((a, b) => a.key.localeCompare(b.key));
		},
		deletePrefix: async (prefix) => {
			if (!prefix.endsWith('/')) {
				throw new RangeError(`deletePrefix takes a folder ending in "/", got "${prefix}"`);
			}
			checkKey(prefix, {prefix: true});
			const target = path.join(root, ...prefix.split('/').filter(Boolean));
			const count = walk(target).length;
			await fs.promises.rm(target, {recursive: true, force: true});
			return count;
		},
		url: async (key, expiresInSeconds) => fileUrl(checkKey(key), expiresInSeconds),
		folderUrl: (prefix) => fileUrl(checkKey(prefix, {prefix: true})),
		read: async (key, range) => {
			const file = fileOf(key);
			try {
				const {size} = await fs.promises.stat(file);
				return {body: fs.createReadStream(file, range), size};
			} catch {
				return null;
			}
		},
	};
};
