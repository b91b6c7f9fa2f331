import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {compositorBinary} from '../src/render/compositor-binaries.js';
import {largestStep, quietestWindow} from './audio-checks.js';
import {recordHlsAudio} from './browser.js';
import {api, decodeFrames, decodePcm, makeTempDir, ROOT, runCli, startServe, waitFor, type ServeProcess} from './helpers.js';

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 30;
// Each frame's red level is its number: a frame played twice, left out or out of order shows.
const NUMBERED = "export default () => { const f = useCurrentFrame(); return <AbsoluteFill style={{backgroundColor: `rgb(${f % 256}, ${Math.floor(f / 256) * 60}, 90)`}} />; };";

/** Every video frame ffmpeg's HLS player takes from a playlist from its first segment on, as raw RGB, reloading it until it ends. */
const playLive = (url: string) => {
	const child = spawn(compositorBinary('ffmpeg'), ['-v', 'error', '-live_start_index', '0', '-i', url, '-map', '0:v:0', '-f', 'image2pipe', '-c:v', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
	const parts: Buffer[] = [];
	let stderr = '';
	child.stdout.on('data', (data: Buffer) => parts.push(data));
	child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
	return new Promise<Buffer[]>((resolve, reject) => {
		child.on('close', (code) => {
			if (code !== 0) {
				reject(new Error(`ffmpeg played the live stream with code ${code}: ${stderr}`));
				return;
			}
			const all = Buffer.concat(parts);
			const size = WIDTH * HEIGHT * 3;
			resolve(Array.from({length: Math.floor(all.length / size)}, (_, i) => all.subarray(i * size, (i + 1) * size)));
		});
	});
};

describe('the live stream of a render (HLS of the finished chunks)', () => {
	let dir: string;
	let server: ServeProcess;
	before(async () => {
		dir = makeTempDir();
		server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_CHUNK_RETRIES: '0'}});
	});
	after(async () => {
		await server?.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	});

	const submit = async (code: string, durationInFrames: number, framesPerChunk: number) => {
		const response = await api(server, 'POST', '/api/render', {inputProps: {code, durationInFrames, fps: FPS}, width: WIDTH, height: HEIGHT, framesPerChunk});
		assert.equal(response.status, 202, JSON.stringify(response.body));
		return response.body.renderId as string;
	};
	const progressOf = async (id: string) => (await api(server, 'GET', `/api/render/${id}/progress`)).body as {liveUrl: string | null; done: boolean; fatalErrorEncountered: boolean};
	const playlistOf = async (id: string) => (await fetch(`${server.url}/api/render/${id}/live.m3u8`, {headers: {authorization: `Bearer ${server.apiKey}`}}).then((r) => r.text()));

	it('plays every frame once, in order, while the render runs: the same frames as the finished MP4', async () => {
		const frames = 300;
		const id = await submit(NUMBERED, frames, 30);
		const {liveUrl} = await progressOf(id);
		assert.ok(liveUrl, 'the progress object carries the live URL from the start');
		// Start watching at the first segment, while the rest renders.
		await waitFor('the first segment', async () => ((await playlistOf(id)).includes('#EXTINF') ? true : null), 60_000);
		const watching = playLive(liveUrl);
		const whenStarted = await progressOf(id);
		assert.equal(whenStarted.done, false, 'the player started before the render was done');
		const played = await watching;
		await waitFor('done', async () => ((await progressOf(id)).done ? true : null));

		const playlist = await playlistOf(id);
		assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:EVENT/);
		assert.match(playlist, /#EXT-X-ENDLIST\n$/);
		assert.deepEqual(playlist.match(/#EXTINF:[\d.]+/g), Array.from({length: 10}, () => '#EXTINF:1.000000'), 'ten one-second segments, each its exact duration');

		assert.equal(played.length, frames, 'the live stream holds every frame once');
		const output = (await api(server, 'GET', `/api/render/${id}`)).body as {url: string};
		const file = path.join(dir, 'live-output.mp4');
		fs.writeFileSync(file, Buffer.from(await (await fetch(output.url)).arrayBuffer()));
		const stitched = await decodeFrames(file, WIDTH, HEIGHT);
		assert.equal(stitched.length, frames);
		const differing = played.map((frame, i) => (frame.equals(stitched[i]!) ? null : i)).filter((i) => i !== null);
		assert.deepEqual(differing, [], 'each live frame is the output frame at the same place (copied, not re-encoded)');

		// The audio: one AAC track along the whole stream (the composition is silent; its length is what is checked).
		const pcm = await decodePcm(liveUrl);
		const seconds = pcm.length / 48_000;
		assert.ok(Math.abs(seconds - frames / FPS) < 0.3, `the live audio lasts ${seconds} s for ${frames / FPS} s of video`);
	});

	it('answers a reload that asks for the next segment (_HLS_msn) once it is in, and a first load once there is a segment', async () => {
		const id = await submit(NUMBERED, 150, 15);
		const reload = async (msn?: string) => {
			const query = msn === undefined ? '' : `?_HLS_msn=${msn}`;
			const response = await fetch(`${server.url}/api/render/${id}/live.m3u8${query}`, {headers: {authorization: `Bearer ${server.apiKey}`}});
			return {status: response.status, text: await response.text()};
		};
		const listed = (playlist: string) => playlist.match(/#EXTINF/g)?.length ?? 0;
		// Asked at once, while the render is queued or in its first chunk: held until the first segment is in.
		const first = await reload();
		assert.equal(first.status, 200);
		assert.ok(listed(first.text) >= 1, `the first load waits for a segment:\n${first.text}`);
		assert.match(first.text, /#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n/);

		const bad = await reload('next');
		assert.equal(bad.status, 400);
		assert.match(JSON.parse(bad.text).error, /_HLS_msn must be a media sequence number.*"next"/);

		// Each reload asks for the segment after the last listed: every answer lists it (chunks of 15 frames take well under the hold).
		let playlist = first.text;
		let reloads = 0;
		while (!playlist.includes('#EXT-X-ENDLIST')) {
			const before = listed(playlist);
			playlist = (await reload(String(before))).text;
			reloads++;
			assert.ok(listed(playlist) > before, `the reload for segment ${before} lists it:\n${playlist}`);
		}
		assert.equal(listed(playlist), 10);
		assert.ok(reloads <= 9, `${reloads} reloads for 9 more segments`);
		assert.doesNotMatch(playlist, /SERVER-CONTROL/, 'a playlist that has ended offers no blocking reload');
		// Past the end: answered at once with the whole playlist.
		assert.equal(listed((await reload('50')).text), 10);
	});

	it('plans a render it cuts itself for watching: a first segment of 6 frames, then chunks that end together', async () => {
		const response = await api(server, 'POST', '/api/render', {inputProps: {code: NUMBERED, durationInFrames: 300, fps: FPS}, width: WIDTH, height: HEIGHT});
		assert.equal(response.status, 202, JSON.stringify(response.body));
		const id = response.body.renderId as string;
		const first = await waitFor('the first segment', async () => ((await playlistOf(id)).includes('#EXTINF') ? playlistOf(id) : null), 60_000);
		assert.match(first, /#EXTINF:0\.200000,\n/, 'the first segment is the first 6 frames');
		assert.equal((await progressOf(id)).done, false, 'it is listed while the rest renders');
		await waitFor('done', async () => ((await progressOf(id)).done ? true : null));
		const progress = (await api(server, 'GET', `/api/render/${id}/progress`)).body as {renderMetadata: {totalChunks: number; framesPerLambda: number}};
		// 2 slots: the slot that rendered the 6 frames takes the last chunk, 6 frames shorter (the other started late, after the first frame).
		assert.deepEqual([progress.renderMetadata.totalChunks, progress.renderMetadata.framesPerLambda], [3, 150]);
		assert.deepEqual((await playlistOf(id)).match(/#EXTINF:[\d.]+/g), ['#EXTINF:0.200000', '#EXTINF:5.000000', '#EXTINF:4.800000']);
		const played = await playLive((await progressOf(id)).liveUrl!);
		assert.equal(played.length, 300, 'the live stream holds every frame once');
	});

	it('plays the audio as one stream across segments: read by ffmpeg, and by hls.js in a browser', async (t) => {
		// The test project's Tone: a 440 Hz tone under 60 frames at 25 fps, in three chunks (joins at 0.8 and 1.6 s).
		const deployed = await runCli(['sites', 'create', path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts'), '--site-name', 'tone', '--server', server.url, '--api-key', server.apiKey]);
		assert.equal(deployed.code, 0, deployed.stderr);
		const response = await api(server, 'POST', '/api/render', {siteName: 'tone', composition: 'Tone', inputProps: {}, framesPerLambda: 20});
		assert.equal(response.status, 202, JSON.stringify(response.body));
		const id = response.body.renderId as string;
		await waitFor('done', async () => ((await progressOf(id)).done ? true : null));
		const {liveUrl} = await progressOf(id);
		const output = path.join(dir, 'tone.mp4');
		fs.writeFileSync(output, Buffer.from(await (await fetch(((await api(server, 'GET', `/api/render/${id}`)).body as {url: string}).url)).arrayBuffer()));

		const [stitched, live] = await Promise.all([decodePcm(output), decodePcm(liveUrl!)]);
		const steadyStep = largestStep(stitched, 12_000, 36_000);
		for (const [name, samples] of [['the stitched MP4', stitched], ['ffmpeg playing the live stream', live]] as const) {
			const {quietest, median, at, loudSeconds} = quietestWindow(samples, 48_000);
			t.diagnostic(`${name}: the tone lasts ${loudSeconds.toFixed(2)} s; its quietest 10 ms ${quietest.toFixed(0)} at ${at.toFixed(2)} s against ${median.toFixed(0)}`);
			assert.ok(quietest > 0.8 * median, `${name}: a 10 ms window at ${at.toFixed(2)} s is at ${quietest.toFixed(0)} against ${median.toFixed(0)} (a gap at a join?)`);
			assert.ok(Math.abs(loudSeconds - 2.4) <= 0.03, `${name}: the tone lasts ${loudSeconds} s of 2.4`);
			const step = largestStep(samples, 4_800, samples.length - 4_800);
			assert.ok(step < 1.5 * steadyStep, `${name}: a step of ${step} between samples, the tone's largest is ${steadyStep} (a click?)`);
		}

		const browser = quietestWindow(await recordHlsAudio(`${server.url}/health`, liveUrl!), 48_000);
		t.diagnostic(`hls.js in Chromium: the tone lasts ${browser.loudSeconds.toFixed(2)} s; its quietest 10 ms ${browser.quietest.toFixed(3)} at ${browser.at.toFixed(2)} s against ${browser.median.toFixed(3)}`);
		assert.ok(browser.quietest > 0.8 * browser.median, `hls.js: a 10 ms window at ${browser.at.toFixed(2)} s is at ${browser.quietest.toFixed(3)} against ${browser.median.toFixed(3)}`);
		assert.ok(Math.abs(browser.loudSeconds - 2.4) <= 0.05, `hls.js: the tone lasts ${browser.loudSeconds} s of 2.4`);
	});

	it('ends the playlist of a render that fails halfway with what was rendered, and says why', async () => {
		const id = await submit("export default () => { if (useCurrentFrame() === 50) { throw new Error('broke at frame 50'); } return null; };", 90, 15);
		await waitFor('the failure', async () => ((await progressOf(id)).fatalErrorEncountered ? true : null));
		const playlist = await playlistOf(id);
		assert.match(playlist, /# framefarm: the render failed: .*broke at frame 50/);
		assert.match(playlist, /#EXT-X-ENDLIST\n$/);
		const listed = playlist.split('\n').filter((line) => line.startsWith('http'));
		assert.ok(listed.length <= 3, `at most the three chunks before frame 50 are listed: ${listed.length}`);
		for (const url of listed) {
			assert.equal((await fetch(url)).status, 200, 'a listed segment can be fetched without a key');
		}
	});

	it('framefarm render --server --watch prints the live URL while it renders', async () => {
		const source = path.join(dir, 'numbered.tsx');
		fs.writeFileSync(source, NUMBERED);
		const out = path.join(dir, 'watched.mp4');
		const result = await runCli(['render', source, '--server', server.url, '--api-key', server.apiKey, '--watch', '--duration-in-frames', '60', '--width', '320', '--height', '180', '--out', out]);
		assert.equal(result.code, 0, result.stderr);
		const url = /Watch it while it renders \(HLS[^)]*\): (\S+)/.exec(result.stderr)?.[1];
		assert.ok(url, result.stderr);
		const playlist = await (await fetch(url)).text();
		// 60 frames on 2 slots, planned for watching: 6, 30 and 24 frames.
		assert.deepEqual(playlist.match(/#EXTINF:[\d.]+/g), ['#EXTINF:0.200000', '#EXTINF:1.000000', '#EXTINF:0.800000'], playlist);
		assert.ok(result.stderr.indexOf('Watch it') < result.stderr.lastIndexOf('Rendering'), 'said while the render ran, before its last progress line');
		const refused = await runCli(['render', source, '--watch']);
		assert.equal(refused.code, 1);
		assert.match(refused.stderr, /--watch follows a render on a server: give --server too/);
	});

	it('answers 410 for a cancelled render, and 404 to another key or a tampered URL', async () => {
		const id = await submit(NUMBERED, 600, 30);
		const {liveUrl} = await progressOf(id);
		assert.equal((await fetch(liveUrl!)).status, 200);
		const tampered = liveUrl!.replace(/signature=[0-9a-f]/, (match) => `${match.slice(0, -1)}${match.endsWith('0') ? '1' : '0'}`);
		assert.equal((await fetch(tampered)).status, 403);
		const other = await fetch(`${server.url}/api/render/${id}/live.m3u8`, {headers: {authorization: 'Bearer not-a-key-of-this-farm'}});
		assert.equal(other.status, 401);
		assert.equal((await api(server, 'DELETE', `/api/render/${id}`)).status, 200);
		const gone = await fetch(liveUrl!);
		assert.equal(gone.status, 410);
		assert.equal(((await gone.json()) as {code: string}).code, 'render_cancelled');
		assert.equal((await progressOf(id)).liveUrl, null);
	});
});
