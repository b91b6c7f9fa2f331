import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startSiteServer, type SiteServer} from '../src/render/site-server.js';
import {makeTempDir} from './helpers.js';

describe('site server', () => {
	let site: SiteServer;
	let root: string;
	let siteUrl: string;

	before(async () => {
		root = makeTempDir();
		const siteDir = path.join(root, 'site-0123456789abcdef');
		fs.mkdirSync(path.join(siteDir, 'nested'), {recursive: true});
		fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><script src="bundle.js"></script>');
		fs.writeFileSync(path.join(siteDir, 'bundle.js'), 'console.log(1)');
		fs.writeFileSync(path.join(siteDir, 'nested', 'data.bin'), Buffer.from([1, 2, 3]));
		fs.writeFileSync(path.join(root, 'secret.txt'), 'not for pages');
		// A deployed site cached next to it, and folders of the cache dir that are not sites.
		fs.mkdirSync(path.join(root, 'site-fedcba98765432100123456789abcdef'));
		fs.writeFileSync(path.join(root, 'site-fedcba98765432100123456789abcdef', 'index.html'), 'deployed');
		for (const other of ['.staging-abc', 'site-xyz', 'bundles']) {
			fs.mkdirSync(path.join(root, other));
			fs.writeFileSync(path.join(root, other, 'index.html'), 'not a site');
		}
		site = await startSiteServer(root);
		siteUrl = site.urlOf('site-0123456789abcdef');
	});
	after(async () => {
		await site.close();
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('serves the folder under its hashed name from a loopback origin, cacheable for good', async () => {
		assert.match(site.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(siteUrl, `${site.origin}/site-0123456789abcdef/`);
		const html = await fetch(new URL('index.html', siteUrl));
		assert.equal(html.status, 200);
		assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
		assert.equal(html.headers.get('cache-control'), 'public, max-age=31536000, immutable');
		assert.equal(await html.text(), '<!doctype html><script src="bundle.js"></script>');
		const js = await fetch(new URL('bundle.js', siteUrl));
		assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
		assert.equal(await js.text(), 'console.log(1)');
		const bin = await fetch(new URL('nested/data.bin', siteUrl));
		assert.deepEqual([...new Uint8Array(await bin.arrayBuffer())], [1, 2, 3]);
		const head = await fetch(new URL('bundle.js', siteUrl), {method: 'HEAD'});
		assert.equal(head.status, 200);
		assert.equal(head.headers.get('content-length'), '14');
	});

	it('serves the other site folders of the cache dir, and nothing else in it', async () => {
		const deployed = site.urlOf('site-fedcba98765432100123456789abcdef');
		assert.equal(deployed, `${site.origin}/site-fedcba98765432100123456789abcdef/`);
		assert.equal(await (await fetch(new URL('index.html', deployed))).text(), 'deployed');
		for (const other of ['.staging-abc', 'site-xyz', 'bundles']) {
			assert.equal((await fetch(`${site.origin}/${other}/index.html`)).status, 404, other);
		}
	});

	it('answers 404 for what is not in the folder, 405 for anything but GET and HEAD', async () => {
		for (const url of [`${site.origin}/`, `${site.origin}/secret.txt`, `${siteUrl}missing.js`, `${siteUrl}nested`, `${siteUrl}..%2Fsecret.txt`, `${site.origin}/site-0123456789abcdef`]) {
			assert.equal((await fetch(url)).status, 404, url);
		}
		assert.equal((await fetch(new URL('bundle.js', siteUrl), {method: 'POST', body: 'x'})).status, 405);
	});

	it('keeps files outside the folder out of reach of a raw path with ..', async () => {
		// fetch() would normalise the path: a raw request line sends it as it is.
		const response = await new Promise<string>((resolve, reject) => {
			const socket = net.connect(Number(new URL(site.origin).port), '127.0.0.1', () => {
				socket.write('GET /site-0123456789abcdef/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
			});
			let text = '';
			socket.on('data', (data) => (text += data.toString()));
			socket.on('end', () => resolve(text));
			socket.on('error', reject);
		});
		assert.match(response, /^HTTP\/1\.1 404/);
		assert.doesNotMatch(response, /not for pages/);
	});
});
