import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as esbuild from 'esbuild';
import {readEvents} from '../src/client/read-events.js';
import type {RenderProgress} from '../src/progress/progress-schemas.js';
import {api, makeTempDir, readExample, ROOT, startServe, type ServeProcess} from './helpers.js';

// Imported by package name, as a user would: resolves through package.json "exports".
const client = await import('framefarm/client');

describe('framefarm/client', () => {
	it('is the built client alone: bundled for a browser, it pulls in no server code', async () => {
		const result = await esbuild.build({
			stdin: {contents: "export * from 'framefarm/client';", resolveDir: ROOT},
			bundle: true,
			platform: 'browser',
			format: 'esm',
			write: false,
			metafile: true,
			logLevel: 'silent',
		});
		const inputs = Object.keys(result.metafile.inputs).filter((input) => input !== '<stdin>');
		assert.ok(inputs.length > 0);
		for (const input of inputs) {
			assert.match(input, /^dist\/client\//, `${input} is not client code`);
		}
		assert.ok(result.outputFiles[0]!.text.length < 20_000, `${result.outputFiles[0]!.text.length} bytes`);
	});
});

describe('SSE progress and the client SDK against framefarm serve', () => {
	let dir: string;
	let server: ServeProcess;
	let proxy: http.Server;
	let proxyUrl: string;
	before(async () => {
		dir = makeTempDir();
		server = await startServe({dataDir: path.join(dir, 'data')});
		// A proxy that refuses event streams, as some do: the SDK must fall back to polling.
		proxy = http.createServer((req, res) => {
			if (req.url?.endsWith('/events')) {
				res.writeHead(502, {'content-type': 'text/html'}).end('<html>Bad Gateway</html>');
				return;
			}
			const target = new URL(server.url);
			const upstream = http.request({host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers}, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			req.pipe(upstream);
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	});
	after(async () => {
		proxy.close();
		await server.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const options = () => ({serverUrl: server.url, apiKey: server.apiKey});
	const code = readExample('title-card.tsx');

	it('streams progress events, never decreasing, then one done event, and closes', async () => {
		const {renderId} = await client.renderMedia({...options(), code, durationInFrames: 60, fps: 30, width: 320, height: 180, framesPerChunk: 15});
		const events: Array<{event: string; progress: RenderProgress}> = [];
		for await (const {event, data} of readEvents(options(), `/api/render/${renderId}/events`)) {
			events.push({event, progress: JSON.parse(data) as RenderProgress});
		}
		assert.ok(events.length >= 3, `${events.length} events`);
		assert.deepEqual(events.slice(0, -1).map((e) => e.event), Array(events.length - 1).fill('progress'));
		assert.equal(events.at(-1)!.event, 'done');
		const values = events.map((e) => e.progress.overallProgress);
		assert.deepEqual(values, [...values].sort((a, b) => a - b));
		assert.equal(values.at(-1), 1);
		assert.equal(events.at(-1)!.progress.done, true);
	});

	it('waitForRender() follows the stream and returns the url and size of GET /api/render/{id}', async () => {
		const {renderId, bucketName} = await client.renderMedia({...options(), code, durationInFrames: 30, fps: 30, width: 320, height: 180});
		assert.equal(bucketName, 'framefarm');
		const seen: number[] = [];
		const finished = await client.waitForRender({...options(), renderId, onProgress: (progress) => seen.push(progress.overallProgress)});
		const status = await client.getRenderStatus({...options(), renderId});
		assert.equal(status.type, 'done');
		assert.deepEqual({url: finished.url, size: finished.size}, {url: status.type === 'done' ? status.url : '', size: status.type === 'done' ? status.size : -1});
		assert.ok(seen.length > 0);
		assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
		const full = await client.getRenderProgress({...options(), renderId});
		assert.equal(full.outputSizeInBytes, finished.size);
	});

	it('waitForRender() falls back to polling when the event stream is refused', async () => {
		const {renderId} = await client.renderMedia({...options(), code, durationInFrames: 30, fps: 30, width: 320, height: 180});
		let calls = 0;
		const finished = await client.waitForRender({serverUrl: proxyUrl, apiKey: server.apiKey, renderId, pollIntervalMs: 200, onProgress: () => calls++});
		const status = (await api(server, 'GET', `/api/render/${renderId}`)).body;
		assert.equal(finished.size, status.size);
		assert.ok(calls >= 1);
	});

	it('waitForRender() rejects with the render’s error; unknown renders and wrong keys are API errors', async () => {
		const {renderId} = await client.renderMedia({...options(), code: "export default () => { if (useCurrentFrame() === 3) { throw new Error('nope at 3'); } return null; };", durationInFrames: 10, fps: 30, width: 320, height: 180});
		await assert.rejects(client.waitForRender({...options(), renderId}), (err: unknown) => err instanceof client.FramefarmRenderError && /nope at 3/.test(err.message));
		await assert.rejects(client.waitForRender({...options(), renderId: 'aaaaaaaaaaaa'}), (err: unknown) => err instanceof client.FramefarmApiError && err.status === 404);
		await assert.rejects(client.waitForRender({serverUrl: server.url, apiKey: 'wrong', renderId}), (err: unknown) => err instanceof client.FramefarmApiError && err.status === 401);
	});
});
