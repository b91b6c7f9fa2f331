import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, before, describe, it} from 'node:test';
import fc from 'fast-check';
import type {FastifyInstance} from 'fastify';
import {buildApp} from '../src/server/build-app.js';
import {makeTempDir} from './helpers.js';
import {testAppContext} from './test-app-context.js';

// Random and malformed input at every route: every answer must be a 4xx JSON error (or a
// success), never a 5xx, and the server must keep answering.

const KEY = 'fuzz-key';
let dir: string;
let app: FastifyInstance;

before(async () => {
	dir = makeTempDir();
	app = await buildApp(testAppContext({dir, keys: [KEY], defaultFramesPerChunk: 60}));
});
after(async () => {
	await app.close();
	fs.rmSync(dir, {recursive: true, force: true});
});

const nasty = fc.oneof(
	fc.string(),
	fc.string({unit: 'grapheme'}),
	fc.constantFrom('../../etc/passwd', '/etc/passwd', '..%2F..%2F', '%00', 'a\u0000b', '😀'.repeat(50), 'x'.repeat(5000), ''),
);
const anyValue = fc.oneof(
	nasty,
	fc.integer(),
	fc.double(),
	fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.anything(), {maxLength: 3}),
	fc.dictionary(fc.string(), fc.anything(), {maxKeys: 3}),
);
const renderBody = fc.record(
	{
		inputProps: fc.oneof(
			anyValue,
			fc.record({code: fc.oneof(nasty, anyValue), durationInFrames: anyValue, fps: anyValue}, {requiredKeys: []}),
		),
		width: anyValue,
		height: anyValue,
		framesPerChunk: anyValue,
		codec: anyValue,
		outName: nasty,
	},
	{requiredKeys: []},
);
const payload = fc.oneof(
	renderBody.map((body) => JSON.stringify(body)),
	anyValue.map((value) => JSON.stringify(value)),
	fc.string(),
	fc.constantFrom('{', '{"inputProps": ', '[]', 'null', '"x"', '{"inputProps": {"code": 1e999}}'),
);
const pathPart = nasty.map((value) => encodeURIComponent(value));

const routes = fc.oneof(
	payload.map((body) => ({method: 'POST' as const, url: '/api/render', body})),
	payload.map((body) => ({method: 'POST' as const, url: '/api/lambda/render', body})),
	payload.map((body) => ({method: 'POST' as const, url: '/api/lambda/progress', body})),
	pathPart.map((id) => ({method: 'GET' as const, url: `/api/render/${id}`})),
	pathPart.map((id) => ({method: 'GET' as const, url: `/api/render/${id}/progress`})),
	pathPart.map((id) => ({method: 'GET' as const, url: `/api/render/${id}/log`})),
	pathPart.map((id) => ({method: 'GET' as const, url: `/api/render/${id}/events`})),
	pathPart.map((id) => ({method: 'DELETE' as const, url: `/api/render/${id}`})),
	pathPart.map((id) => ({method: 'GET' as const, url: `/api/render/${id}/chunks`})),
	pathPart.map((id) => ({method: 'POST' as const, url: `/api/render/${id}/again`, body: '{}'})),
	payload.map((body) => ({method: 'POST' as const, url: '/api/compile', body})),
	payload.map((body) => ({method: 'POST' as const, url: '/api/compositions', body})),
	payload.map((body) => ({method: 'POST' as const, url: '/api/presign', body})),
	fc.tuple(pathPart, pathPart).map(([limit, status]) => ({method: 'GET' as const, url: `/api/renders?limit=${limit}&status=${status}`})),
	fc.tuple(pathPart, pathPart).map(([limit, offset]) => ({method: 'GET' as const, url: `/api/renders?limit=${limit}&offset=${offset}`})),
	pathPart.map((file) => ({method: 'GET' as const, url: `/files/${file}`})),
	fc.tuple(pathPart, pathPart, pathPart).map(([file, expires, signature]) => ({method: 'GET' as const, url: `/files/renders/${file}?expires=${expires}&signature=${signature}`})),
);

describe('every route under random and malformed input', () => {
	it('answers 2xx or a 4xx JSON error, never a 5xx, and keeps serving', async () => {
		await fc.assert(
			fc.asyncProperty(routes, fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'), async (route, type) => {
				const response = await app.inject({
					method: route.method,
					url: route.url,
					headers: {authorization: `Bearer ${KEY}`, ...('body' in route ? {'content-type': type} : {})},
					payload: 'body' in route ? route.body : undefined,
				});
				assert.ok(response.statusCode < 500, `${route.method} ${route.url} ${'body' in route ? route.body.slice(0, 200) : ''} -> ${response.statusCode} ${response.body.slice(0, 300)}`);
				if (response.statusCode >= 400) {
					assert.match(String(response.headers['content-type']), /application\/json/);
					assert.equal(typeof (response.json() as {error: unknown}).error, 'string');
				}
			}),
			{numRuns: 400},
		);
		const health = await app.inject({method: 'GET', url: '/health'});
		assert.equal(health.statusCode, 200);
	});
});
