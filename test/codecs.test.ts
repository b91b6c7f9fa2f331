import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {probeVideo} from '../src/render/probe-video.js';
import {api, decodePcm, makeTempDir, ROOT, runCli, sleep, startServe, type ServeProcess} from './helpers.js';

// Every codec of Remotion Lambda, rendered in three chunks from the test project's "Tone"
// composition (160x90, 25 fps, 60 frames, a 440 Hz tone from public/) and checked with ffprobe.

const KEY = 'codecs-key';
const FRAMES = 60;
const FPS = 25;
const SECONDS = FRAMES / FPS;

type Expected = {extension: string; container: RegExp; video: string | null; audio: string | null};
const EXPECTED: Record<string, Expected> = {
	h264: {extension: 'mp4', container: /mp4/, video: 'h264', audio: 'aac'},
	h265: {extension: 'mp4', container: /mp4/, video: 'hevc', audio: 'aac'},
	vp8: {extension: 'webm', container: /webm/, video: 'vp8', audio: 'opus'},
	vp9: {extension: 'webm', container: /webm/, video: 'vp9', audio: 'opus'},
	prores: {extension: 'mov', container: /mov/, video: 'prores', audio: 'pcm_s16le'},
	gif: {extension: 'gif', container: /^gif$/, video: 'gif', audio: null},
	mp3: {extension: 'mp3', container: /^mp3$/, video: null, audio: 'mp3'},
	aac: {extension: 'aac', container: /^aac$/, video: null, audio: 'aac'},
	wav: {extension: 'wav', container: /^wav$/, video: null, audio: 'pcm_s16le'},
};

describe('every codec, chunked: a deployed composition rendered in h264, h265, vp8, vp9, prores, gif, mp3, aac and wav', () => {
	let dir: string;
	let server: ServeProcess;

	before(async () => {
		dir = makeTempDir();
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: KEY, FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_MAX_RENDERS: '3'}});
		const deployed = await runCli(['sites', 'create', path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts'), '--site-name', 'codecs', '--server', server.url, '--api-key', KEY]);
		assert.equal(deployed.code, 0, deployed.stderr);
	});
	after(async () => {
		await server.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	it('renders each in 3 chunks with the codec, container, frame count, duration and audio it should have', async (t) => {
		const submitted = await Promise.all(
			Object.keys(EXPECTED).map(async (codec) => {
				const {status, body} = await api({url: server.url, apiKey: KEY}, 'POST', '/api/render', {siteName: 'codecs', composition: 'Tone', inputProps: {}, codec, framesPerLambda: 20});
				assert.equal(status, 202, `${codec}: ${JSON.stringify(body)}`);
				return [codec, body.renderId as string] as const;
			}),
		);
		for (const [codec, renderId] of submitted) {
			const expected = EXPECTED[codec]!;
			let progress: any;
			for (let i = 0; i < 600; i++) {
				progress = (await api({url: server.url, apiKey: KEY}, 'GET', `/api/render/${renderId}/progress`)).body;
				if (progress.done || progress.fatalErrorEncountered) {
					break;
				}
				await sleep(250);
			}
			assert.equal(progress.done, true, `${codec}: ${JSON.stringify(progress.errors)}`);
			assert.equal(progress.renderMetadata.codec, codec);
			assert.equal(progress.renderMetadata.totalChunks, 3);
			assert.equal(progress.outKey, `renders/${renderId}/out.${expected.extension}`);
			const file = path.join(dir, `out-${codec}.${expected.extension}`);
			const response = await fetch(progress.outputFile);
			fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
			assert.equal(fs.statSync(file).size, progress.outputSizeInBytes, `${codec}: the bytes stored`);
			const probe = await probeVideo(file);
			assert.match(probe.container, expected.container, `${codec}: container ${probe.container}`);
			if (expected.video === null) {
				assert.equal(probe.video, null, `${codec}: no video stream`);
			} else {
				assert.equal(probe.video?.codec, expected.video);
				assert.equal(probe.video?.frames, FRAMES, `${codec}: frames`);
				assert.deepEqual([probe.video?.width, probe.video?.height], [160, 90]);
			}
			if (expected.audio === null) {
				assert.equal(probe.audio, null, `${codec}: no audio stream`);
			} else {
				assert.equal(probe.audio?.codec, expected.audio);
				// The tone plays throughout: no chunk's audio is missing.
				const pcm = await decodePcm(file);
				assert.ok(Math.abs(pcm.length / 48_000 - SECONDS) < 0.1, `${codec}: ${(pcm.length / 48_000).toFixed(3)} s of audio, ${SECONDS} s of video`);
				const quiet = [0.8, 1.6].filter((at) => {
					const start = Math.round(at * 48_000) - 480;
					return pcm.subarray(start, start + 960).every((sample) => Math.abs(sample) < 500);
				});
				assert.deepEqual(quiet, [], `${codec}: silence at a join (seconds)`);
			}
			t.diagnostic(`${codec}: ${probe.container}, video ${probe.video?.codec ?? 'none'} ${probe.video?.frames ?? ''}, audio ${probe.audio?.codec ?? 'none'}, ${probe.durationInSeconds.toFixed(3)} s, ${probe.sizeInBytes} bytes`);
		}
	});
	it('takes everyNthFrame for gif, downloadBehavior as the output\'s Content-Disposition, and chromiumOptions.darkMode only', async () => {
		const submit = (body: Record<string, unknown>) => api({url: server.url, apiKey: KEY}, 'POST', '/api/render', {siteName: 'codecs', composition: 'Tone', inputProps: {}, ...body});
		const finish = async (renderId: string) => {
			for (let i = 0; i < 600; i++) {
				const {body} = await api({url: server.url, apiKey: KEY}, 'GET', `/api/render/${renderId}/progress`);
				if (body.done || body.fatalErrorEncountered) {
					assert.equal(body.done, true, JSON.stringify(body.errors));
					return body as {outputFile: string; renderMetadata: {totalFrames: number}};
				}
				await sleep(250);
			}
			throw new Error(`render ${renderId} did not finish`);
		};
		const gif = await submit({codec: 'gif', everyNthFrame: 2, framesPerLambda: 15});
		assert.equal(gif.status, 202, JSON.stringify(gif.body));
		const gifDone = await finish(gif.body.renderId);
		assert.equal(gifDone.renderMetadata.totalFrames, 30);
		const gifFile = path.join(dir, 'every-2nd.gif');
		fs.writeFileSync(gifFile, Buffer.from(await (await fetch(gifDone.outputFile)).arrayBuffer()));
		const gifProbe = await probeVideo(gifFile);
		assert.equal(gifProbe.video?.frames, 30, 'every 2nd of 60 frames');
		assert.ok(Math.abs(gifProbe.durationInSeconds - SECONDS) < 0.1, `the GIF lasts as long as the composition: ${gifProbe.durationInSeconds} s`);

		const download = await submit({downloadBehavior: {type: 'download', fileName: 'my clip.mp4'}, chromiumOptions: {darkMode: true}});
		assert.equal(download.status, 202, JSON.stringify(download.body));
		const downloaded = await fetch((await finish(download.body.renderId)).outputFile);
		assert.equal(downloaded.headers.get('content-disposition'), 'attachment; filename="my clip.mp4"');
		assert.equal(downloaded.headers.get('content-type'), 'video/mp4');
		const played = await fetch((await finish((await submit({codec: 'vp9'})).body.renderId)).outputFile);
		assert.equal(played.headers.get('content-disposition'), null, 'plays in the browser by default');
		assert.equal(played.headers.get('content-type'), 'video/webm');

		const launchFlag = await submit({chromiumOptions: {darkMode: true, gl: 'angle', userAgent: 'x'}});
		assert.equal(launchFlag.status, 400);
		assert.match(launchFlag.body.error, /^chromiumOptions takes only darkMode: gl, userAgent are launch flags of the farm's shared, warm browsers/);
		const nth = await submit({everyNthFrame: 2});
		assert.match(nth.body.error, /^everyNthFrame is for the gif codec only/);
	});
});
