import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {renderMedia, selectComposition} from '@remotion/renderer';
import {findBrowser} from '../src/render/find-browser.js';
import {probeVideo} from '../src/render/probe-video.js';
import {bundleProject} from '../src/sites/bundle-project.js';
import {api, decodeFrames, decodePcm, makeTempDir, psnr, ROOT, runCli, sleep, startServe, type ServeProcess} from './helpers.js';
import {largestStep, rms} from './audio-checks.js';

// A Remotion project of the tests' own (test/fixtures/remotion-project): two compositions and a
// <Still>, calculateMetadata() setting the duration from the props, a zod schema, an image, a
// tone and a font from public/, and a webpack alias from remotion.config.ts. Deployed with the
// CLI to `framefarm serve`, rendered over HTTP, compared with plain renderMedia() of the bundle.

const ENTRY = path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts');
const KEY = 'sites-key';
const OTHER_KEY = 'other-key';
const SAMPLE_RATE = 48_000;

const waitUntilFinished = async (server: ServeProcess, renderId: string, apiKey = KEY) => {
	for (let i = 0; i < 600; i++) {
		const {body} = await api({url: server.url, apiKey}, 'GET', `/api/render/${renderId}`);
		if (body.type === 'done' || body.type === 'error') {
			return body as {type: 'done'; url: string} | {type: 'error'; message: string};
		}
		await sleep(250);
	}
	throw new Error(`render ${renderId} did not finish`);
};

const download = async (url: string, file: string) => {
	fs.writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
	return file;
};

/** A WebP's canvas size from its RIFF header (lossy VP8, lossless VP8L or extended VP8X). */
const webpSize = (data: Buffer): [number, number] => {
	assert.equal(data.toString('ascii', 0, 4) + data.toString('ascii', 8, 12), 'RIFFWEBP', 'a WebP file');
	const chunk = data.toString('ascii', 12, 16);
	if (chunk === 'VP8 ') {
		return [data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff];
	}
	if (chunk === 'VP8L') {
		const bits = data.readUInt32LE(21);
		return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
	}
	return [data.readUIntLE(24, 3) + 1, data.readUIntLE(27, 3) + 1];
};

describe('sites: a Remotion project deployed with the CLI and rendered by composition id', () => {
	let dir: string;
	let server: ServeProcess;

	before(async () => {
		dir = makeTempDir();
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: `${KEY},${OTHER_KEY}`, FRAMEFARM_CONCURRENCY: '2'}});
	});
	after(async () => {
		await server.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('deploys with `sites create`, uploading only what changed when deployed again; lists and removes with `sites ls` and `sites rm`', async () => {
		const deploy = () => runCli(['sites', 'create', ENTRY, '--site-name', 'promo', '--server', server.url, '--api-key', KEY]);
		const first = await deploy();
		assert.equal(first.code, 0, first.stderr);
		assert.match(first.stdout, /Deployed the site "promo": \d+ files/);
		assert.match(first.stdout, new RegExp(`serveUrl: ${server.url}/api/sites/promo/`));
		assert.match(first.stdout, /"siteName": "promo"/, 'a render command to paste');
		const again = await deploy();
		assert.match(again.stdout, /\(0 uploaded, 0 B; the rest unchanged\)/);

		const listed = await runCli(['sites', 'ls', '--server', server.url, '--api-key', KEY]);
		assert.match(listed.stdout, /^promo\s/m);
		const {body} = await api({url: server.url, apiKey: KEY}, 'GET', '/api/sites/promo');
		assert.equal(body.siteName, 'promo');
		assert.ok(body.files >= 5 && body.sizeInBytes > 500_000, JSON.stringify(body));

		// Another key sees none of it.
		assert.deepEqual((await api({url: server.url, apiKey: OTHER_KEY}, 'GET', '/api/sites')).body.sites, []);
		assert.equal((await api({url: server.url, apiKey: OTHER_KEY}, 'GET', '/api/sites/promo')).status, 404);
		assert.equal((await api({url: server.url, apiKey: OTHER_KEY}, 'DELETE', '/api/sites/promo')).status, 404);
		const foreign = await api({url: server.url, apiKey: OTHER_KEY}, 'POST', '/api/render', {siteName: 'promo', composition: 'Promo', inputProps: {}});
		assert.equal(foreign.status, 400);
		assert.match(foreign.body.error, /this key has no site "promo"/);

		await runCli(['sites', 'create', ENTRY, '--site-name', 'scratch', '--server', server.url, '--api-key', KEY]);
		const removed = await runCli(['sites', 'rm', 'scratch', '--server', server.url, '--api-key', KEY]);
		assert.equal(removed.code, 0, removed.stderr);
		assert.equal((await api({url: server.url, apiKey: KEY}, 'GET', '/api/sites/scratch')).status, 404);
	});

	it('renders a composition in chunks as plain renderMedia() renders the same bundle: frames, size, fps, pixels at every join, continuous audio', async (t) => {
		const inputProps = {title: 'Chunked', seconds: 2.5};
		const framesPerChunk = 25;
		const submitted = await api({url: server.url, apiKey: KEY}, 'POST', '/api/render', {siteName: 'promo', composition: 'Promo', inputProps, framesPerChunk});
		assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
		const finished = await waitUntilFinished(server, submitted.body.renderId);
		assert.equal(finished.type, 'done', JSON.stringify(finished));
		const ours = await download((finished as {url: string}).url, path.join(dir, 'ours.mp4'));

		const progress = (await api({url: server.url, apiKey: KEY}, 'GET', `/api/render/${submitted.body.renderId}/progress`)).body;
		assert.equal(progress.renderMetadata.compositionId, 'Promo');
		assert.equal(progress.renderMetadata.totalFrames, 75, 'calculateMetadata(): 2.5 s at 30 fps');
		assert.deepEqual(progress.renderMetadata.dimensions, {width: 320, height: 180});

		// Plain Remotion on the same bundle, in one piece.
		const bundleDir = await bundleProject({entryPoint: ENTRY});
		const browserExecutable = (await findBrowser(null)).executable;
		const composition = await selectComposition({serveUrl: bundleDir, id: 'Promo', inputProps, browserExecutable, logLevel: 'error'});
		const plain = path.join(dir, 'plain.mp4');
		await renderMedia({serveUrl: bundleDir, composition, inputProps, codec: 'h264', outputLocation: plain, browserExecutable, logLevel: 'error'});
		fs.rmSync(bundleDir, {recursive: true, force: true});

		const [oursProbe, plainProbe] = await Promise.all([probeVideo(ours), probeVideo(plain)]);
		assert.equal(oursProbe.video?.frames, 75);
		assert.equal(oursProbe.video?.frames, plainProbe.video?.frames);
		assert.deepEqual([oursProbe.video?.width, oursProbe.video?.height, oursProbe.video?.fps], [plainProbe.video?.width, plainProbe.video?.height, plainProbe.video?.fps]);
		assert.ok(oursProbe.audio !== null, 'the tone is in the output');
		// AAC ends on a whole 1024-sample frame: as in the plain render, the track runs past the last video frame by less than 3 frames of it.
		assert.equal(oursProbe.audio.durationInSeconds, plainProbe.audio?.durationInSeconds, 'audio as long as the plain render');
		assert.ok(oursProbe.audio.durationInSeconds - oursProbe.video!.durationInSeconds < (3 * 1024) / SAMPLE_RATE, `audio ${oursProbe.audio.durationInSeconds} s, video ${oursProbe.video!.durationInSeconds} s`);

		const [oursFrames, plainFrames] = await Promise.all([decodeFrames(ours, 320, 180), decodeFrames(plain, 320, 180)]);
		const joins = [25, 50];
		for (const join of joins) {
			for (const frame of [join - 1, join]) {
				const same = psnr(oursFrames[frame]!, plainFrames[frame]!);
				assert.ok(same >= 35, `frame ${frame} (a join): PSNR ${same.toFixed(1)} dB against the plain render`);
			}
		}

		// Audio: as loud at each join as elsewhere (no gap), no jump a 440 Hz tone never makes (no click),
		// and sample for sample close to the plain render's around each join.
		const [oursPcm, plainPcm] = await Promise.all([decodePcm(ours, SAMPLE_RATE), decodePcm(plain, SAMPLE_RATE)]);
		const steady = {rms: rms(plainPcm, SAMPLE_RATE / 2, SAMPLE_RATE), step: largestStep(plainPcm, SAMPLE_RATE / 2, SAMPLE_RATE)};
		for (const join of joins) {
			const at = Math.round((join / 30) * SAMPLE_RATE);
			const window = [at - 480, at + 480] as const;
			const loudness = rms(oursPcm, ...window);
			assert.ok(loudness > 0.8 * steady.rms, `join at frame ${join}: RMS ${loudness.toFixed(0)} against ${steady.rms.toFixed(0)} elsewhere (a gap?)`);
			const step = largestStep(oursPcm, ...window);
			assert.ok(step < 1.5 * steady.step, `join at frame ${join}: a step of ${step} between samples, the tone's largest is ${steady.step} (a click?)`);
			let error = 0;
			for (let i = window[0]; i < window[1]; i++) {
				error += ((oursPcm[i] ?? 0) - (plainPcm[i] ?? 0)) ** 2;
			}
			const snr = 10 * Math.log10((steady.rms ** 2 * (window[1] - window[0])) / Math.max(1, error));
			assert.ok(snr > 20, `join at frame ${join}: ${snr.toFixed(1)} dB signal to difference against the plain render`);
			t.diagnostic(`join at frame ${join}: RMS ${loudness.toFixed(0)} (steady ${steady.rms.toFixed(0)}), largest step ${step} (tone ${steady.step}), ${snr.toFixed(1)} dB against plain`);
		}
	});

	it('answers a 400 naming what is wrong: a composition that does not exist, props the schema rejects, no such site, fields of code renders', async () => {
		const submit = (body: unknown) => api({url: server.url, apiKey: KEY}, 'POST', '/api/render', body);
		const missing = await submit({siteName: 'promo', composition: 'Nope', inputProps: {}});
		assert.equal(missing.status, 400);
		assert.equal(missing.body.error, 'There is no composition "Nope" in the site "promo"; it has: Promo, Tone, Poster');
		const rejected = await submit({siteName: 'promo', composition: 'Promo', inputProps: {title: '', seconds: 2}});
		assert.equal(rejected.status, 400);
		assert.match(rejected.body.error, /could not set up the composition "Promo" with these inputProps: .*do not match the schema .*title: /);
		const noSite = await submit({siteName: 'nope', composition: 'Promo', inputProps: {}});
		assert.deepEqual([noSite.status, noSite.body.code], [400, 'site_not_found']);
		const noComposition = await submit({siteName: 'promo', inputProps: {}});
		assert.match(noComposition.body.error, /^composition is required with a site/);
		const sized = await submit({siteName: 'promo', composition: 'Promo', inputProps: {}, width: 640});
		assert.match(sized.body.error, /^width is the composition's own/);
		const badUrl = await submit({serveUrl: 'https://example.com/elsewhere', composition: 'Promo', inputProps: {}});
		assert.match(badUrl.body.error, /^serveUrl must be the serveUrl of a deployed site/);
		const byUrl = await submit({serveUrl: `${server.url}/api/sites/promo/`, composition: 'Tone', inputProps: {}});
		assert.equal(byUrl.status, 202, JSON.stringify(byUrl.body));
		const tone = await waitUntilFinished(server, byUrl.body.renderId);
		assert.equal(tone.type, 'done');
		const probe = await probeVideo(await download((tone as {url: string}).url, path.join(dir, 'tone.mp4')));
		assert.deepEqual([probe.video?.frames, probe.video?.width, probe.video?.height, probe.video?.fps], [60, 160, 90, 25]);
		// The server kept serving through all of it.
		assert.equal((await fetch(`${server.url}/health`)).status, 200);
	});
	it('renders stills in png, jpeg, webp and pdf, answered like renderStillOnLambda() once stored, of a site and of code', async () => {
		const still = (body: unknown) => api({url: server.url, apiKey: KEY}, 'POST', '/api/still', body);
		for (const [imageFormat, codec] of [['png', 'png'], ['jpeg', 'mjpeg'], ['webp', 'webp'], ['pdf', null]] as const) {
			const {status, body} = await still({siteName: 'promo', composition: 'Poster', inputProps: {label: 'Still'}, imageFormat, scale: imageFormat === 'png' ? 0.5 : 1});
			assert.equal(status, 200, `${imageFormat}: ${JSON.stringify(body)}`);
			assert.deepEqual(Object.keys(body).sort(), ['bucketName', 'estimatedPrice', 'outKey', 'renderId', 'sizeInBytes', 'url']);
			assert.equal(body.outKey, `renders/${body.renderId}/out.${imageFormat}`);
			assert.equal(typeof body.estimatedPrice.accruedSoFar, 'number');
			const file = await download(body.url, path.join(dir, `still.${imageFormat}`));
			assert.equal(fs.statSync(file).size, body.sizeInBytes);
			if (codec === null) {
				const text = fs.readFileSync(file, 'latin1');
				assert.match(text, /^%PDF-1\.\d/, 'a PDF header');
				assert.match(text, /\/Type\s*\/Page\b/, 'with a page');
				assert.match(text.trimEnd(), /%%EOF$/, 'and its trailer');
				continue;
			}
			const probe = await probeVideo(file);
			assert.equal(probe.video?.codec, codec, imageFormat);
			// The compositor's ffprobe knows WebP without decoding it: its size is read from its header.
			const size = imageFormat === 'webp' ? webpSize(fs.readFileSync(file)) : [probe.video?.width, probe.video?.height];
			assert.deepEqual(size, imageFormat === 'png' ? [200, 150] : [400, 300], `${imageFormat}: the still's size times its scale`);
		}
		// A frame of code: the built-in site, in the same warm browser.
		const code = await still({inputProps: {code: "import {AbsoluteFill} from 'remotion'; export default () => <AbsoluteFill style={{background: 'rgb(0, 0, 255)'}} />;"}, width: 64, height: 48, imageFormat: 'png'});
		assert.equal(code.status, 200, JSON.stringify(code.body));
		const [pixel] = await decodeFrames(await download(code.body.url, path.join(dir, 'code.png')), 64, 48);
		assert.deepEqual([...pixel!.subarray(0, 3)], [0, 0, 255], 'the code rendered');
		const late = await still({siteName: 'promo', composition: 'Promo', inputProps: {title: 'x', seconds: 1}, frame: 30});
		assert.equal(late.status, 400);
		assert.equal(late.body.error, 'frame must be between 0 and 29: the composition "Promo" has 30 frames');
		const quality = await still({siteName: 'promo', composition: 'Poster', inputProps: {}, imageFormat: 'png', jpegQuality: 80});
		assert.match(quality.body.error, /^jpegQuality is for imageFormat jpeg only/);
		const format = await still({siteName: 'promo', composition: 'Poster', inputProps: {}, imageFormat: 'gif'});
		assert.match(format.body.error, /^imageFormat must be one of png, jpeg, webp, pdf/);
	});
	it('renders from the CLI: `render <entry> --composition --codec --props` deploys and renders, `still <site> --composition` and `still <code.tsx>` download images', async () => {
		const cli = (args: string[]) => runCli([...args, '--server', server.url, '--api-key', KEY]);
		const video = path.join(dir, 'cli-tone.webm');
		const rendered = await cli(['render', ENTRY, '--composition', 'Promo', '--codec', 'vp9', '--props', '{"title": "CLI", "seconds": 1}', '--out', video]);
		assert.equal(rendered.code, 0, rendered.stderr);
		assert.match(rendered.stdout, /cli-tone\.webm/);
		const probe = await probeVideo(video);
		assert.deepEqual([probe.video?.codec, probe.video?.frames, probe.audio?.codec], ['vp9', 30, 'opus']);
		const image = path.join(dir, 'cli-poster.jpeg');
		const still = await cli(['still', 'promo', '--composition', 'Poster', '--props', '{"label": "CLI"}', '--image-format', 'jpeg', '--out', image]);
		assert.equal(still.code, 0, still.stderr);
		const poster = await probeVideo(image);
		assert.deepEqual([poster.video?.codec, poster.video?.width, poster.video?.height], ['mjpeg', 400, 300]);
		const codeFile = path.join(dir, 'frame.tsx');
		fs.writeFileSync(codeFile, "import {AbsoluteFill} from 'remotion'; export default () => <AbsoluteFill style={{background: 'teal'}} />;");
		const frame = path.join(dir, 'frame.png');
		const codeStill = await cli(['still', codeFile, '--width', '320', '--height', '180', '--out', frame]);
		assert.equal(codeStill.code, 0, codeStill.stderr);
		assert.deepEqual([(await probeVideo(frame)).video?.width, (await probeVideo(frame)).video?.height], [320, 180]);
		const badProps = await cli(['render', 'promo', '--composition', 'Promo', '--props', '[1]']);
		assert.equal(badProps.code, 1);
		assert.match(badProps.stderr, /--props must be a JSON object/);
		const badCodec = await cli(['render', 'promo', '--composition', 'Promo', '--codec', 'av1']);
		assert.match(badCodec.stderr, /--codec must be one of h264/);
	});
	it('refuses a project that does not bundle with webpack\'s error, its file and line, and takes frameRange and maxRetries', async () => {
		const project = path.join(dir, 'broken-project');
		fs.mkdirSync(path.join(project, 'src'), {recursive: true});
		fs.writeFileSync(path.join(project, 'package.json'), '{"name": "broken-project"}');
		fs.writeFileSync(path.join(project, 'src', 'index.ts'), "import {registerRoot} from 'remotion';\nimport {Root} from './Root';\nregisterRoot(Root);\n");
		fs.writeFileSync(path.join(project, 'src', 'Root.tsx'), 'export const Root = () => (\n\t<div>\n);\n');
		const broken = await runCli(['sites', 'create', path.join(project, 'src', 'index.ts'), '--server', server.url, '--api-key', KEY]);
		assert.equal(broken.code, 1);
		assert.match(broken.stderr, /does not bundle: .*Root\.tsx/s, broken.stderr);
		assert.match(broken.stderr, /Root\.tsx:\d+:\d+: ERROR: Unexpected end of file/, 'the line and column of the error');
		assert.equal((await api({url: server.url, apiKey: KEY}, 'GET', '/api/sites/broken-project')).status, 404, 'nothing deployed');

		const submitted = await api({url: server.url, apiKey: KEY}, 'POST', '/api/render', {siteName: 'promo', composition: 'Promo', inputProps: {title: 'Part', seconds: 2}, frameRange: [10, 39], framesPerLambda: 10, maxRetries: 0});
		assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
		const finished = await waitUntilFinished(server, submitted.body.renderId);
		assert.equal(finished.type, 'done', JSON.stringify(finished));
		const part = await probeVideo(await download((finished as {url: string}).url, path.join(dir, 'part.mp4')));
		assert.equal(part.video?.frames, 30, 'frames 10-39 only');
		const log = await (await fetch(`${server.url}/api/render/${submitted.body.renderId}/log`, {headers: {authorization: `Bearer ${KEY}`}})).text();
		assert.match(log, /chunk 0 \(frames 10-19\)/);
		assert.match(log, /chunk 2 \(frames 30-39\)/);
		const outside = await api({url: server.url, apiKey: KEY}, 'POST', '/api/render', {siteName: 'promo', composition: 'Promo', inputProps: {title: 'x', seconds: 1}, frameRange: [20, 40]});
		assert.equal(outside.body.error, 'frameRange must lie within frames 0-29 of the composition, first before last; got [20, 40]');
	});
});
