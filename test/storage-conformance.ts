import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {Storage} from '../src/storage/storage.js';
import {makeTempDir} from './helpers.js';

/** What any storage driver must do. */
export const storageConformance = (driver: string, makeStorage: () => Promise<Storage>) => {
	describe(`storage conformance: ${driver}`, () => {
		let storage: Storage;
		let dir: string;
		before(async () => {
			storage = await makeStorage();
			dir = makeTempDir();
		});
		after(() => fs.rmSync(dir, {recursive: true, force: true}));

		const file = (name: string, content: string | Buffer) => {
			const full = path.join(dir, name);
			fs.writeFileSync(full, content);
			return full;
		};

		it('stores, measures, fetches, lists and deletes objects', async () => {
			const content = Buffer.alloc(70_000, 7);
			const stored = await storage.putFile('renders/abc/chunks/chunk-000000.ts', file('a.ts', content), 'video/mp2t');
			assert.deepEqual(stored, {key: 'renders/abc/chunks/chunk-000000.ts', size: 70_000});
			await storage.putFile('renders/abc/chunks/chunk-000001.ts', file('b.ts', 'bb'), 'video/mp2t');
			await storage.putFile('renders/abc/out.mp4', file('out.mp4', 'mp4'), 'video/mp4');
			await storage.putFile('renders/abcd/out.mp4', file('other.mp4', 'other'), 'video/mp4');
			assert.deepEqual(await storage.head('renders/abc/out.mp4'), {key: 'renders/abc/out.mp4', size: 3});
			assert.equal(await storage.head('renders/abc/missing.mp4'), null);
			const copy = path.join(dir, 'copy.ts');
			await storage.downloadFile('renders/abc/chunks/chunk-000000.ts', copy);
			assert.deepEqual(fs.readFileSync(copy), content);
			assert.deepEqual(
				(await storage.list('renders/abc/')).map((o) => [o.key, o.size]),
				[['renders/abc/chunks/chunk-000000.ts', 70_000], ['renders/abc/chunks/chunk-000001.ts', 2], ['renders/abc/out.mp4', 3]],
			);
			assert.equal(await storage.deletePrefix('renders/abc/chunks/'), 2);
			assert.deepEqual((await storage.list('renders/abc/')).map((o) => o.key), ['renders/abc/out.mp4']);
			assert.deepEqual((await storage.list('renders/abcd/')).map((o) => o.key), ['renders/abcd/out.mp4'], 'a prefix is a folder, not a string prefix');
			assert.equal(await storage.deletePrefix('renders/nothing-here/'), 0);
		});

		it('overwrites an object with the same key', async () => {
			await storage.putFile('renders/x/out.mp4', file('one', 'one'), 'video/mp4');
			await storage.putFile('renders/x/out.mp4', file('two', 'twotwo'), 'video/mp4');
			assert.equal((await storage.head('renders/x/out.mp4'))?.size, 6);
		});

		it('gives a URL that serves the object, with byte ranges', async () => {
			await storage.putFile('renders/url/out.mp4', file('url.mp4', '0123456789'), 'video/mp4');
			const url = await storage.url('renders/url/out.mp4');
			assert.match(url, /^https?:\/\/.+renders\/url\/out\.mp4/);
			assert.match(storage.folderUrl('renders/url/'), /^https?:\/\/.+renders\/url\//);
			const range = await storage.read('renders/url/out.mp4', {start: 2, end: 5});
			assert.equal(range?.size, 10);
			const parts: Buffer[] = [];
			for await (const part of range!.body) {
				parts.push(Buffer.from(part as Buffer));
			}
			assert.equal(Buffer.concat(parts).toString(), '2345');
			assert.equal(await storage.read('renders/url/missing.mp4'), null);
		});

		for (const key of ['../etc/passwd', '/etc/passwd', 'renders/../../x', 'renders//x', 'renders/./x', 'a\\b', 'renders/x%2F..', '', 'renders/ü.mp4', 'renders/x\0y']) {
			it(`refuses the key ${JSON.stringify(key)}`, async () => {
				await assert.rejects(storage.putFile(key, file('k', 'k'), 'text/plain'), RangeError);
				await assert.rejects(storage.head(key), RangeError);
				await assert.rejects(storage.downloadFile(key, path.join(dir, 'never')), RangeError);
				await assert.rejects(storage.url(key), RangeError);
			});
		}
	});
};
