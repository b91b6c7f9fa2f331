import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as esbuild from 'esbuild';
import {deleteRender, getFunctions, getRenderProgress, getSites, renderMediaOnLambda, renderStillOnLambda, speculateFunctionName, validateWebhookSignature} from 'framefarm/lambda/client';
import {probeVideo} from '../src/render/probe-video.js';
import {makeTempDir, ROOT, runCli, sleep, startServe, type ServeProcess} from './helpers.js';

// framefarm/lambda/client as code written for @remotion/lambda/client calls it: Lambda's options,
// AWS-only ones included, against framefarm serve with the test project deployed as a site.
// test/lambda-types.ts holds its types to Lambda's.

const KEY = 'lambda-key';

describe('framefarm/lambda/client', () => {
	it('bundles for a browser without server code', async () => {
		const result = await esbuild.build({stdin: {contents: "export * from 'framefarm/lambda/client';", resolveDir: ROOT}, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent'});
		const inputs = Object.keys(result.metafile.inputs).filter((input) => input !== '<stdin>');
		for (const input of inputs) {
			assert.match(input, /^(dist\/(lambda|client|config|sites)\/|node_modules\/remotion\/)/, `${input} is not client code`);
		}
	});

	describe('against framefarm serve', () => {
		let dir: string;
		let server: ServeProcess;
		let farm: {serverUrl: string; apiKey: string};
		before(async () => {
			dir = makeTempDir();
			server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: KEY}});
			farm = {serverUrl: server.url, apiKey: KEY};
			const deployed = await runCli(['sites', 'create', path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts'), '--site-name', 'lambda-site', '--server', server.url, '--api-key', KEY]);
			assert.equal(deployed.code, 0, deployed.stderr);
		});
		after(async () => {
			await server.stop();
			fs.rmSync(dir, {recursive: true, force: true});
		});

		it('renders with renderMediaOnLambda() and follows it with getRenderProgress() to a playable output', async () => {
			const functionName = speculateFunctionName({memorySizeInMb: 2048, diskSizeInMb: 2048, timeoutInSeconds: 120});
			assert.equal(functionName, 'remotion-render-4-0-520-mem2048mb-disk2048mb-120sec');
			const queued = await renderMediaOnLambda({
				...farm,
				region: 'us-east-1',
				functionName,
				serveUrl: 'lambda-site',
				composition: 'Promo',
				inputProps: {title: 'Lambda', seconds: 1},
				codec: 'h264',
				framesPerLambda: 10,
				privacy: 'public',
				downloadBehavior: {type: 'download', fileName: 'video.mp4'},
				chromiumOptions: {gl: 'angle'},
			});
			assert.deepEqual(Object.keys(queued).sort(), ['bucketName', 'cloudWatchLogs', 'cloudWatchMainLogs', 'folderInS3Console', 'lambdaInsightsLogs', 'progressJsonInConsole', 'renderId']);
			let last = 0;
			let progress = await getRenderProgress({...farm, renderId: queued.renderId, bucketName: queued.bucketName, functionName, region: 'us-east-1'});
			for (let i = 0; i < 240 && !progress.done && !progress.fatalErrorEncountered; i++) {
				assert.ok(progress.overallProgress >= last, 'progress never goes down');
				last = progress.overallProgress;
				await sleep(250);
				progress = await getRenderProgress({...farm, renderId: queued.renderId, bucketName: queued.bucketName, functionName, region: 'us-east-1'});
			}
			assert.equal(progress.done, true, JSON.stringify(progress.errors));
			assert.equal(progress.type, 'success');
			assert.deepEqual([progress.renderMetadata.siteId, progress.renderMetadata.compositionId, progress.renderMetadata.totalChunks], ['lambda-site', 'Promo', 3]);
			const response = await fetch(progress.outputFile!);
			assert.equal(response.headers.get('content-disposition'), 'attachment; filename="video.mp4"');
			const file = path.join(dir, 'lambda.mp4');
			fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
			assert.equal((await probeVideo(file)).video?.frames, 30);

			const {freedBytes} = await deleteRender({...farm, region: 'us-east-1', bucketName: queued.bucketName, renderId: queued.renderId});
			assert.equal(freedBytes, progress.outputSizeInBytes, 'the output was all that was left');
			assert.equal((await fetch(progress.outputFile!)).status, 404, 'the output is gone');
			await assert.rejects(getRenderProgress({...farm, renderId: queued.renderId}), {status: 404});
		});

		it('renders a still, lists sites and functions, and checks webhook signatures as Lambda signs them', async () => {
			const still = await renderStillOnLambda({...farm, region: 'eu-central-1', functionName: 'any', serveUrl: 'lambda-site', composition: 'Poster', inputProps: {label: 'L'}, imageFormat: 'png', privacy: 'public'});
			assert.deepEqual(Object.keys(still).sort(), ['artifacts', 'bucketName', 'cloudWatchLogs', 'estimatedPrice', 'outKey', 'renderId', 'sizeInBytes', 'url']);
			assert.equal((await fetch(still.url)).headers.get('content-type'), 'image/png');
			const {sites} = await getSites({...farm, region: 'us-east-1'});
			assert.deepEqual(sites.map((site) => site.id), ['lambda-site']);
			assert.equal((await getFunctions({region: 'us-east-1', compatibleOnly: true})).length, 1);
			const body = {type: 'success', renderId: 'abc'};
			const signature = `sha512=${crypto.createHmac('sha512', 'hook-secret').update(JSON.stringify(body)).digest('hex')}`;
			validateWebhookSignature({secret: 'hook-secret', body, signatureHeader: signature});
			assert.throws(() => validateWebhookSignature({secret: 'other', body, signatureHeader: signature}), /does not match/);
		});
	});
});
