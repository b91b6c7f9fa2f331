import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {addressKind} from '../src/render/network/address-kind.js';
import {blockedByBrowser} from '../src/render/network/blocked-by-browser.js';
import {createNetworkPolicy} from '../src/render/network/network-policy.js';
import {RenderFailedError} from '../src/render/render-failed-error.js';
import {renderVideo} from '../src/render/render-video.js';
import {makeTempDir, TEST_CACHE_DIR} from './helpers.js';

describe('addressKind', () => {
	for (const [address, kind] of [
		['127.0.0.1', 'loopback'],
		['127.8.9.10', 'loopback'],
		['::1', 'loopback'],
		['[::1]', 'loopback'],
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:7f00:1', 'loopback'],
		['10.1.2.3', 'private'],
		['172.20.0.1', 'private'],
		['192.168.1.1', 'private'],
		['fd12::1', 'private'],
		['169.254.169.254', 'link-local'],
		['fe80::1', 'link-local'],
		['0.0.0.0', 'reserved'],
		['::', 'reserved'],
		['8.8.8.8', 'public'],
		['172.32.0.1', 'public'],
		['2606:4700::1111', 'public'],
		['example.com', null],
	] as const) {
		it(`${address} is ${kind ?? 'not an address'}`, () => assert.equal(addressKind(address), kind));
	}
});

describe('network policy', () => {
	const SITE = 'http://127.0.0.1:3200';
	const BUNDLE = 'http://localhost:3100';
	const lookups: Record<string, string[]> = {'cdn.example.com': ['93.184.215.14'], 'rebind.example.com': ['93.184.215.14', '10.0.0.5']};
	const policy = createNetworkPolicy({
		allowedOrigins: ['https://cdn.example.com', 'https://rebind.example.com', 'http://127.0.0.1:4000', 'http://localhost:4001'],
		siteOrigin: SITE,
		lookup: async (hostname) => lookups[hostname] ?? Promise.reject(new Error('ENOTFOUND')),
	});
	const verdict = (url: string) => policy.checkRequest(url, BUNDLE);

	it('lets the page load its own bundle and data', async () => {
		assert.deepEqual(await verdict(`${SITE}/site-abc/bundle.js`), {allowed: true});
		assert.deepEqual(await verdict(`${BUNDLE}/bundle.js`), {allowed: true});
		assert.deepEqual(await verdict('data:text/plain,hi'), {allowed: true});
	});
	it('checks what Remotion’s proxy would download, not the proxy', async () => {
		assert.deepEqual(await verdict(`${BUNDLE}/proxy?src=${encodeURIComponent(`${BUNDLE}/public/a.mp4`)}&time=0`), {allowed: true});
		assert.deepEqual(await verdict(`${BUNDLE}/proxy?src=${encodeURIComponent(`${SITE}/site-abc/public/a.mp4`)}&time=0`), {allowed: true});
		assert.deepEqual(policy.checkDownload(`${SITE}/site-abc/public/a.mp3`, BUNDLE), {allowed: true});
		const proxied = await verdict(`${BUNDLE}/proxy?src=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`);
		assert.equal(proxied.allowed, false);
		assert.match(!proxied.allowed ? proxied.reason : '', /169\.254\.169\.254 is a link-local address/);
	});
	it('blocks what is not listed, naming why', async () => {
		for (const [url, reason] of [
			['http://127.0.0.1:9999/x', /not in FRAMEFARM_ALLOWED_ORIGINS \(127\.0\.0\.1 is a loopback address\)/],
			['http://[::1]:9999/x', /::1 is a loopback address/],
			['http://localhost:3101/', /not in FRAMEFARM_ALLOWED_ORIGINS \(a loopback address\)/],
			['https://evil.example.com/', /https:\/\/evil\.example\.com is not in FRAMEFARM_ALLOWED_ORIGINS$/],
			['file:///etc/passwd', /file: URLs are not allowed/],
			['ftp://cdn.example.com/', /ftp: URLs are not allowed/],
		] as const) {
			const result = await verdict(url);
			assert.equal(result.allowed, false, url);
			assert.match(!result.allowed ? result.reason : '', reason, url);
		}
	});
	it('allows a listed origin only while its name leads to public addresses', async () => {
		assert.deepEqual(await verdict('https://cdn.example.com/font.woff2'), {allowed: true});
		assert.deepEqual(await verdict('http://127.0.0.1:4000/listed-literally'), {allowed: true});
		const rebind = await verdict('https://rebind.example.com/');
		assert.match(!rebind.allowed ? rebind.reason : '', /rebind\.example\.com resolves to 10\.0\.0\.5, a private address/);
		const localhost = await verdict('http://localhost:4001/');
		assert.match(!localhost.allowed ? localhost.reason : '', /localhost leads to a loopback address/);
	});
	it('decides downloads without DNS', () => {
		assert.deepEqual(policy.checkDownload('https://cdn.example.com/a.mp3', BUNDLE), {allowed: true});
		assert.equal(policy.checkDownload('http://10.0.0.1/a.mp3', BUNDLE).allowed, false);
	});
});

describe('blockedByBrowser', () => {
	it('reads the requests Chromium refused in its console', () => {
		assert.deepEqual(blockedByBrowser('Fetch API cannot load file:///etc/passwd. URL scheme "file" is not supported.'), {
			url: 'file:///etc/passwd',
			reason: 'file: URLs are not allowed',
		});
		assert.equal(blockedByBrowser('Not allowed to load local resource: file:///etc/hosts')?.url, 'file:///etc/hosts');
		assert.deepEqual(
			blockedByBrowser(`Connecting to 'ws://127.0.0.1:1/ws' violates the following Content Security Policy directive: "connect-src 'self'". The action has been blocked.`),
			{url: 'ws://127.0.0.1:1/ws', reason: 'WebSockets may connect only to the bundle server'},
		);
		assert.equal(blockedByBrowser(`Fetch API cannot load file:///etc/passwd. Refused to connect because it violates the document's Content Security Policy.`)?.url, 'file:///etc/passwd');
		assert.equal(blockedByBrowser('hello'), null);
	});
});

describe('rendered pages reach nothing but the bundle and the allowed origins (real Chromium)', () => {
	let dir: string;
	let canary: http.Server;
	let redirector: http.Server;
	let canaryHits: string[];
	let redirectorHits: number;
	const portOf = (server: http.Server) => (server.address() as AddressInfo).port;
	const listen = (server: http.Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

	before(async () => {
		dir = makeTempDir();
		canaryHits = [];
		redirectorHits = 0;
		canary = http.createServer((req, res) => {
			res.end('canary');
		});
		// Any connection at all counts, WebSocket upgrades included.
		canary.on('connection', () => canaryHits.push('connection'));
		redirector = http.createServer((req, res) => {
			redirectorHits++;
			res.writeHead(302, {location: `http://127.0.0.1:${portOf(canary)}/redirected`, 'access-control-allow-origin': '*'});
			res.end();
		});
		await Promise.all([listen(canary), listen(redirector)]);
	});
	after(async () => {
		canary.close();
		redirector.close();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const render = (code: string, name: string, onProgress?: (progress: RenderProgress) => void) =>
		renderVideo({
			code,
			durationInFrames: 10,
			fps: 30,
			width: 160,
			height: 90,
			framesPerChunk: 10,
			concurrency: 1,
			chunkRetries: 0,
			cacheDir: TEST_CACHE_DIR,
			browserExecutable: null,
			// The redirector is listed literally; localhost is listed but leads to loopback.
			allowedOrigins: [`http://127.0.0.1:${portOf(redirector)}`, `http://localhost:${portOf(canary)}`],
			outFile: path.join(dir, `${name}.mp4`),
			onProgress,
		});

	it('blocks fetch, img, file:, a redirect and a DNS name to loopback, and a WebSocket; the render reports each', async () => {
		const c = `http://127.0.0.1:${portOf(canary)}`;
		const code = `
import {useEffect, useState} from 'react';
import {AbsoluteFill, continueRender, delayRender} from 'remotion';
const settle = (start) => new Promise((resolve) => { try { start(resolve); } catch { resolve(); } });
export const Probe = () => {
	const [handle] = useState(() => delayRender('probing the network'));
	useEffect(() => {
		Promise.allSettled([
			fetch('${c}/fetch'),
			fetch('file:///etc/passwd'),
			fetch('http://127.0.0.1:${portOf(redirector)}/to-canary', {mode: 'no-cors'}),
			fetch('http://localhost:${portOf(canary)}/dns'),
			settle((done) => { const ws = new WebSocket('ws://127.0.0.1:${portOf(canary)}/ws'); ws.onerror = done; ws.onclose = done; }),
			settle((done) => { const img = new Image(); img.onload = done; img.onerror = done; img.src = '${c}/image'; }),
		]).then(() => setTimeout(() => continueRender(handle), 200));
	}, [handle]);
	return <AbsoluteFill style={{background: '#fff'}}><img src="${c}/img-tag" /></AbsoluteFill>;
};`;
		let last: RenderProgress | null = null;
		const result = await render(code, 'probe', (progress) => {
			last = progress;
		});
		assert.ok(result.sizeInBytes > 0, 'a blocked request that the component survives does not fail the render');
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.deepEqual(canaryHits, [], 'the canary received nothing');
		assert.ok(redirectorHits >= 1, 'the allowed origin was reached');

		const progress = last as RenderProgress | null;
		assert.equal(progress?.done, true);
		assert.equal(progress?.fatalErrorEncountered, false);
		const blocked = progress!.errors.filter((error) => error.name === 'BlockedRequestError');
		const messages = blocked.map((error) => error.message).join('\n');
		for (const url of [`${c}/fetch`, 'file:///etc/passwd', `${c}/redirected`, `http://localhost:${portOf(canary)}/dns`, `ws://127.0.0.1:${portOf(canary)}/ws`, `${c}/image`, `${c}/img-tag`]) {
			assert.ok(messages.includes(`Blocked a request to ${url}:`), `${url} is reported:\n${messages}`);
		}
		for (const error of blocked) {
			assert.equal(error.type, 'browser');
			assert.equal(error.isFatal, false);
			assert.equal(error.chunk, 0);
		}
	});

	it('names the blocked request when it makes the render fail', async () => {
		const code = `
import {useEffect, useState} from 'react';
import {AbsoluteFill, cancelRender, continueRender, delayRender} from 'remotion';
export const Metadata = () => {
	const [handle] = useState(() => delayRender('asking the metadata service'));
	useEffect(() => {
		fetch('http://169.254.169.254/latest/meta-data/').then(() => continueRender(handle), (err) => cancelRender(err));
	}, [handle]);
	return <AbsoluteFill />;
};`;
		await assert.rejects(render(code, 'metadata'), (err: unknown) => {
			assert.ok(err instanceof RenderFailedError);
			assert.match(err.message, /Chunk 0 .*failed/);
			assert.match(err.message, /the network policy blocked: http:\/\/169\.254\.169\.254\/latest\/meta-data\/ \(.*169\.254\.169\.254 is a link-local address\)/);
			return true;
		});
	});
});
