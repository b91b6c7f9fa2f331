import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import {after, before, describe, it} from 'node:test';
import type {FastifyInstance} from 'fastify';
import {buildApp} from '../src/server/build-app.js';
import {DEFAULT_SUBMIT_LIMITS} from '../src/server/submit-limits.js';
import {makeTempDir} from './helpers.js';
import {testAppContext} from './test-app-context.js';

// Bodies over FRAMEFARM_MAX_BODY_BYTES, sent to a listening server by real clients.

const KEY = 'body-limit-key';
const MB = 1024 * 1024;
// What the server reads of a refused body at most: 4 times the limit, at least 16 MB.
const DRAIN_BOUND = 16 * MB;

let dir: string;
let app: FastifyInstance;
let origin: string;
let port: number;
before(async () => {
	dir = makeTempDir();
	app = await buildApp(testAppContext({dir, keys: [KEY], limits: {...DEFAULT_SUBMIT_LIMITS, maxBodyBytes: MB}}));
	await app.listen({port: 0, host: '127.0.0.1'});
	port = (app.server.address() as net.AddressInfo).port;
	origin = `http://127.0.0.1:${port}`;
});
after(async () => {
	await app.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const renderBody = (codeBytes: number) => JSON.stringify({inputProps: {code: 'x'.repeat(codeBytes), durationInFrames: 30, fps: 30}});

/**
 * Sends headers and then body bytes on a raw socket for as long as the server takes them, and
 * says how many it took and what it answered.
 */
const sendUntilRefused = (headers: string, chunk: (bytes: Buffer) => Buffer, limitBytes: number) =>
	new Promise<{sent: number; answer: string}>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let sent = 0;
		let answer = '';
		const piece = Buffer.alloc(64 * 1024, 'x');
		const pump = () => {
			while (sent < limitBytes && !socket.destroyed && !socket.writableEnded) {
				sent += piece.length;
				if (!socket.write(chunk(piece))) {
					socket.once('drain', pump);
					return;
				}
			}
		};
		socket.on('data', (data) => (answer += data.toString('latin1')));
		socket.on('error', () => undefined);
		socket.on('close', () => resolve({sent, answer}));
		socket.write(headers);
		pump();
	});

describe('request bodies over the limit', () => {
	it("reach Node's fetch as a 413 JSON naming the setting, on a 6 MB body", async () => {
		const response = await fetch(`${origin}/api/render`, {method: 'POST', headers: {authorization: `Bearer ${KEY}`, 'content-type': 'application/json'}, body: renderBody(6 * MB)});
		assert.equal(response.status, 413);
		const body = (await response.json()) as {error: string; code: string};
		assert.equal(body.code, 'body_too_large');
		assert.match(body.error, /at most 1048576 bytes \(FRAMEFARM_MAX_BODY_BYTES\)/);
	});

	it("reach Node's fetch sent in chunks with no length, and a wrong key's 401 too", async () => {
		const stream = (bytes: number) =>
			new ReadableStream({
				start(controller) {
					for (let i = 0; i < bytes / (256 * 1024); i++) {
						controller.enqueue(new Uint8Array(256 * 1024).fill(120));
					}
					controller.close();
				},
			});
		const chunked = await fetch(`${origin}/api/render`, {
			method: 'POST',
			headers: {authorization: `Bearer ${KEY}`, 'content-type': 'application/json'},
			body: stream(6 * MB),
			duplex: 'half',
		} as RequestInit);
		assert.equal(chunked.status, 413);
		assert.equal(((await chunked.json()) as {code: string}).code, 'body_too_large');
		const wrongKey = await fetch(`${origin}/api/render`, {method: 'POST', headers: {authorization: 'Bearer nope', 'content-type': 'application/json'}, body: renderBody(6 * MB)});
		assert.equal(wrongKey.status, 401);
		assert.equal(((await wrongKey.json()) as {code: string}).code, 'unauthorized');
	});

	it('are read to their end within the bound, so the connection answers what comes next', async () => {
		// Closed under a client still sending, the 413 is lost to it (EPIPE); read, it arrives.
		const body = renderBody(6 * MB);
		const answer = await new Promise<string>((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			let text = '';
			socket.on('data', (data) => {
				text += data.toString('latin1');
				if ((text.match(/HTTP\/1\.1 /g) ?? []).length === 2 && text.endsWith('}')) {
					socket.destroy();
				}
			});
			socket.on('error', () => undefined);
			socket.on('close', () => resolve(text));
			socket.write(`POST /api/render HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
			socket.write(body);
			socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
		});
		assert.match(answer, /^HTTP\/1\.1 413 /);
		assert.doesNotMatch(answer.split('\r\n\r\n')[0]!, /connection: close/i);
		assert.match(answer, /HTTP\/1\.1 200 [^]*\{"ok":true\}$/);
	});

	it('cut off a body declared far past the bound without reading it', async () => {
		const declared = 500 * MB;
		const {sent, answer} = await sendUntilRefused(
			`POST /api/render HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
			(bytes) => bytes,
			declared,
		);
		assert.match(answer, /^HTTP\/1\.1 413 /);
		assert.ok(sent < DRAIN_BOUND, `the server took ${(sent / MB).toFixed(1)} MB of a ${declared / MB} MB body`);
	});

	it('cut off a body sent in chunks past the bound', async () => {
		const endless = 500 * MB;
		const {sent, answer} = await sendUntilRefused(
			`POST /api/render HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
			(bytes) => Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]),
			endless,
		);
		assert.match(answer, /^HTTP\/1\.1 413 /);
		// What was read, plus what the two sockets' buffers hold.
		assert.ok(sent < DRAIN_BOUND + 8 * MB, `the server took ${(sent / MB).toFixed(1)} MB of an endless body`);
	});

	it('keep the server answering', async () => {
		const health = await fetch(`${origin}/health`);
		assert.equal(health.status, 200);
	});
});
