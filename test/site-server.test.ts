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

	before(async () => {
		root = makeTempDir();
		const siteDir = path.join(root, 'site-0123456789abcdef');
		fs.mkdirSync(path.join(siteDir, 'nested'), {recursive: true});
		fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><script src="bundle.js"></script>');
		fs.writeFileSync(path.join(siteDir, 'bundle.js'), 'console.log(1)');
		fs.writeFileSync(path.join(siteDir, 'nested', 'data.bin'), Buffer.from([1, 2, 3]));
		fs.writeFileSync(path.join(root, 'secret.txt'), 'not for pages');
		site = await startSiteServer(siteDir);
	});
	after(async () => {
		await site.close();
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('serves the folder under its hashed name from a loopback origin, cacheable for good', async () => {
		assert.match(site.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(site.url, `${site.origin}/site-0123456789abcdef/`);
		const html = await fetch(new URL('index.html', site.url));
		assert.equal(html.status, 200);
		assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
		assert.equal(html.headers.get('cache-control'), 'public, max-age=31536000, immutable');
		assert.equal(await html.text(), '<!doctype html><script src="bundle.js"></script>');
		const js = await fetch(new URL('bundle.js', site.url));
		assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
		assert.equal(await js.text(), 'console.log(1)');
		const bin = await fetch(new URL('nested/data.bin', site.url));
		assert.deepEqual([...new Uint8Array(await bin.arrayBuffer())], [1, 2, 3]);
		const head = await fetch(new URL('bundle.js', site.url), {method: 'HEAD'});
		assert.equal(head.status, 200);
		assert.equal(head.headers.get('content-length'), '14');
	});

	it('answers 404 for what is not in the folder, 405 for anything but GET and HEAD', async () => {
		for (const url of [`${site.origin}/`, `${site.origin}/secret.txt`, `${site.url}missing.js`, `${site.url}nested`, `${site.url}..%2Fsecret.txt`, `${site.origin}/site-0123456789abcdef`]) {
			assert.equal((await fetch(url)).status, 404, url);
		}
		assert.equal((await fetch(new URL('bundle.js', site.url), {method: 'POST', body: 'x'})).status, 405);
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
