import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {cancelRenderOnLambda, getRenderProgress} from 'framefarm/lambda/client';
import {probeVideo} from '../src/render/probe-video.js';
import {startDistributedFarm} from './distributed-farm.js';
import {renderAndFollow, type ProgressResponse} from './fixtures/prompt-app/src/lib/render-client.js';
import {makeTempDir, ROOT, startServe, waitFor, within} from './helpers.js';

// The prompt-to-motion-graphics app (shared/reference/001) moved from Remotion Lambda to framefarm
// by its import lines alone: its deploy script deploys its Remotion project with deploySite(), its
// two API routes render and report progress with framefarm/lambda/client, and its page's loop
// posts to them and polls once a second. The app lives in test/fixtures/prompt-app.

const APP = path.join(ROOT, 'test', 'fixtures', 'prompt-app');
const KEY = 'prompt-app-key';

const animation = (body: string) => `import {AbsoluteFill, interpolate, useCurrentFrame} from 'remotion';
export const MyAnimation = () => {
  const frame = useCurrentFrame();
  ${body}
  const x = interpolate(frame, [0, 60], [0, 400], {extrapolateRight: 'clamp'});
  return <AbsoluteFill style={{backgroundColor: '#0b1d3a'}}><div style={{width: 120, height: 120, background: '#f5b700', transform: \`translateX(\${x}px)\`}} /></AbsoluteFill>;
};`;

/** The app as a user installs it: framefarm in its node_modules (here, a link to this checkout). */
const linkFramefarm = () => {
	const link = path.join(APP, 'node_modules', 'framefarm');
	if (!fs.existsSync(link)) {
		fs.mkdirSync(path.dirname(link), {recursive: true});
		fs.symlinkSync(path.relative(path.dirname(link), ROOT), link, 'dir');
	}
};

/** Runs one of the app's TypeScript files as its package scripts would, with the farm in the environment. */
const runAppScript = (file: string, env: NodeJS.ProcessEnv) => {
	const child = spawn(process.execPath, ['--import', 'tsx', file], {cwd: APP, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (data: Buffer) => (output += data.toString()));
	child.stderr.on('data', (data: Buffer) => (output += data.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	return {child, output: () => output, exited};
};

type Followed = {result: Exclude<ProgressResponse, {type: 'progress'}>; progress: number[]; renderId: string};

const appOnFarm = (mode: string, startFarm: () => Promise<{url: string; stop: () => Promise<void>}>) =>
	describe(`the prompt-to-motion-graphics app on framefarm/lambda: ${mode}`, () => {
		let farm: {url: string; stop: () => Promise<void>};
		let app: ReturnType<typeof runAppScript>;
		let appUrl: string;
		let dir: string;

		before(async () => {
			linkFramefarm();
			dir = makeTempDir();
			farm = await startFarm();
			const env = {FRAMEFARM_SERVER_URL: farm.url, FRAMEFARM_API_KEY: KEY};
			const deploy = runAppScript('deploy.ts', env);
			assert.equal(await within(300_000, deploy.exited, 'deploy.ts'), 0, deploy.output());
			assert.match(deploy.output(), new RegExp(`Site deployed to ${farm.url}/api/sites/prompt-to-motion-graphics/ \\(\\d+ files uploaded`));
			app = runAppScript('server.ts', env);
			appUrl = await waitFor('the app to listen', async () => /app listening on (\S+)/.exec(app.output())?.[1] ?? null, 60_000);
		});
		after(async () => {
			app?.child.kill('SIGTERM');
			await app?.exited;
			await farm?.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		});

		const follow = (code: string, durationInFrames: number, onQueued?: (render: {renderId: string}) => void): Promise<Followed> => {
			const progress: number[] = [];
			let renderId = '';
			return renderAndFollow(appUrl, {code, durationInFrames, fps: 30}, {
				onQueued: (render) => {
					renderId = render.renderId;
					onQueued?.(render);
				},
				onProgress: (value) => progress.push(value),
			}).then((result) => ({result, progress, renderId}));
		};

		it('ends a render as done with a playable MP4, one whose code throws as error with its message, and a cancelled one as cancelled', async () => {
			const farmOptions = {serverUrl: farm.url, apiKey: KEY, region: 'us-east-1' as const};
			const cancelWhenRendering = async ({renderId}: {renderId: string}) => {
				await waitFor(`render ${renderId} to render frames`, async () => ((await getRenderProgress({...farmOptions, renderId})).framesRendered > 0 ? true : null));
				await cancelRenderOnLambda({...farmOptions, bucketName: 'ignored', renderId});
			};
			const [done, failed, cancelled] = await Promise.all([
				follow(animation(''), 90),
				follow(animation("if (frame === 70) { throw new Error('The animation broke at frame 70'); }"), 90),
				follow(animation(''), 1800, (render) => void cancelWhenRendering(render)),
			]);

			for (const [name, followed] of Object.entries({done, failed, cancelled})) {
				assert.ok(followed.progress.length > 0, `${name}: the page saw progress`);
				assert.ok(followed.progress.every((value) => value >= 0.03 && value <= 1), `${name}: progress within [0.03, 1]: ${followed.progress.join(', ')}`);
				assert.ok(followed.progress.every((value, i) => i === 0 || value >= followed.progress[i - 1]!), `${name}: progress never goes down: ${followed.progress.join(', ')}`);
			}

			assert.equal(done.result.type, 'done', JSON.stringify(done.result));
			const {url, size} = done.result as {url: string; size: number};
			const response = await fetch(url);
			assert.equal(response.headers.get('content-disposition'), 'attachment; filename="video.mp4"');
			const bytes = Buffer.from(await response.arrayBuffer());
			assert.equal(bytes.length, size, 'size is the bytes served');
			const file = path.join(dir, 'video.mp4');
			fs.writeFileSync(file, bytes);
			const probe = await probeVideo(file);
			assert.deepEqual([probe.video?.codec, probe.video?.width, probe.video?.height, probe.video?.frames], ['h264', 640, 360, 90]);

			assert.deepEqual(failed.result, {type: 'error', message: 'The animation broke at frame 70'});
			assert.deepEqual(cancelled.result, {type: 'error', message: 'cancelled'});
		});
	});

appOnFarm('embedded (SQLite, a local folder)', async () => {
	const dir = makeTempDir();
	const server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: KEY}});
	return {
		url: server.url,
		stop: async () => {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
});

appOnFarm('distributed (BullMQ on Redis, local S3, two workers)', async () => {
	const farm = await startDistributedFarm({apiKeys: KEY});
	return {url: farm.server.url, stop: farm.stop};
});
