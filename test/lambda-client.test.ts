import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as esbuild from 'esbuild';
import {
	deleteRender,
	deleteSite,
	deploySite,
	getCompositionsOnLambda,
	getFunctions,
	getOrCreateBucket,
	getRenderProgress,
	getSites,
	presignUrl,
	renderMediaOnLambda,
	renderStillOnLambda,
	speculateFunctionName,
	validateWebhookSignature,
} from 'framefarm/lambda';
import {probeVideo} from '../src/render/probe-video.js';
import {makeTempDir, ROOT, sleep, startServe, type ServeProcess} from './helpers.js';

// framefarm/lambda as code written for @remotion/lambda calls it: Lambda's options, AWS-only
// ones included, against framefarm serve with the test project deployed as a site by deploySite().
// test/lambda-types.ts holds its types to Lambda's; lambda-app.test.ts runs a whole app on it.

const KEY = 'lambda-key';
const OTHER_KEY = 'lambda-other-key';

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
			server = await startServe({dataDir: path.join(dir, 'data'), env: {FRAMEFARM_API_KEYS: `${KEY},${OTHER_KEY}`}});
			farm = {serverUrl: server.url, apiKey: KEY};
			const {bucketName, alreadyExisted} = await getOrCreateBucket({...farm, region: 'us-east-1'});
			assert.deepEqual([bucketName, alreadyExisted], ['framefarm', true]);
			const uploads: number[] = [];
			const deployed = await deploySite({
				...farm,
				bucketName,
				region: 'us-east-1',
				entryPoint: path.join(ROOT, 'test', 'fixtures', 'remotion-project', 'src', 'index.ts'),
				siteName: 'lambda-site',
				options: {onUploadProgress: ({filesUploaded}) => uploads.push(filesUploaded)},
				privacy: 'public',
			});
			assert.deepEqual([deployed.serveUrl, deployed.siteName], [`${server.url}/api/sites/lambda-site/`, 'lambda-site']);
			assert.equal(deployed.stats.uploadedFiles, uploads.at(-1));
			assert.deepEqual([deployed.stats.deletedFiles, deployed.stats.untouchedFiles], [0, 0]);
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

			// What is left of a done render: its output and its live stream's segments.
			const liveUrl = (progress as {liveUrl?: string}).liveUrl!;
			const segments = (await (await fetch(liveUrl)).text()).split('\n').filter((line) => line.startsWith('http'));
			assert.equal(segments.length, 3);
			const segmentBytes = (await Promise.all(segments.map(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength))).reduce((sum, size) => sum + size, 0);
			const {freedBytes} = await deleteRender({...farm, region: 'us-east-1', bucketName: queued.bucketName, renderId: queued.renderId});
			assert.equal(freedBytes, progress.outputSizeInBytes! + segmentBytes, 'the output and the live stream were all that was left');
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

			const presigned = await presignUrl({...farm, region: 'us-east-1', bucketName: still.bucketName, objectKey: still.outKey, expiresInSeconds: 120});
			const image = await fetch(presigned);
			assert.equal(image.headers.get('content-type'), 'image/png');
			assert.equal(Number(image.headers.get('content-length')), still.sizeInBytes);
			assert.equal(await presignUrl({...farm, region: 'us-east-1', bucketName: still.bucketName, objectKey: `renders/${still.renderId}/nothing.png`, expiresInSeconds: 120, checkIfObjectExists: true}), null);
			// The still is its key's only: through /files/ with a key, and presigned.
			const withKey = (key: string) => fetch(`${server.url}/files/${still.outKey}`, {headers: {authorization: `Bearer ${key}`}});
			assert.equal((await withKey(KEY)).status, 200);
			assert.equal((await withKey(OTHER_KEY)).status, 404);
			await assert.rejects(presignUrl({...farm, apiKey: OTHER_KEY, region: 'us-east-1', bucketName: still.bucketName, objectKey: still.outKey, expiresInSeconds: 120}), {status: 404});
		});

		it("lists a site's compositions as calculateMetadata() sets them up for the inputProps", async () => {
			const compositions = await getCompositionsOnLambda({...farm, region: 'us-east-1', functionName: 'any', serveUrl: 'lambda-site', inputProps: {title: 'Listed', seconds: 3}});
			assert.deepEqual(
				compositions.map(({id, width, height, fps, durationInFrames}) => ({id, width, height, fps, durationInFrames})),
				[
					{id: 'Promo', width: 320, height: 180, fps: 30, durationInFrames: 90},
					{id: 'Tone', width: 160, height: 90, fps: 25, durationInFrames: 60},
					{id: 'Poster', width: 400, height: 300, fps: 1, durationInFrames: 1},
				],
			);
			assert.deepEqual(compositions[0]!.props, {title: 'Listed', seconds: 3});
		});

		it('throws what Lambda throws where code tests for it: an Error for a render that does not exist, a TypeError for a bad option', async () => {
			const missing = await getRenderProgress({...farm, renderId: 'nosuchrender', bucketName: 'remotionlambda-abc', region: 'eu-central-1'}).catch((err: unknown) => err);
			assert.ok(missing instanceof Error);
			assert.equal(missing.name, 'Error');
			assert.equal(missing.message, 'No render with ID "nosuchrender" found in bucket remotionlambda-abc and region eu-central-1');
			assert.equal((missing as Error & {status: number}).status, 404);
			const bad = await renderMediaOnLambda({...farm, region: 'us-east-1', functionName: 'any', serveUrl: 'lambda-site', composition: 'Promo', inputProps: {}, codec: 'h264', framesPerLambda: 0}).catch(
				(err: unknown) => err,
			);
			assert.ok(bad instanceof TypeError, String(bad));
			assert.match(bad.message, /^framesPerLambda /);
			const unauthorized = await getRenderProgress({serverUrl: farm.serverUrl, apiKey: 'not-a-key', renderId: 'x'}).catch((err: unknown) => err);
			assert.equal((unauthorized as {name: string; status: number}).name, 'FramefarmApiError');
			assert.equal((unauthorized as {status: number}).status, 401);
		});

		it('removes the site with deleteSite(), which frees its bytes once', async () => {
			const [site] = (await getSites(farm)).sites;
			assert.deepEqual(await deleteSite({...farm, region: 'us-east-1', bucketName: 'framefarm', siteName: 'lambda-site'}), {totalSizeInBytes: site!.sizeInBytes});
			assert.deepEqual((await getSites(farm)).sites, []);
			assert.deepEqual(await deleteSite({...farm, region: 'us-east-1', bucketName: 'framefarm', siteName: 'lambda-site'}), {totalSizeInBytes: 0});
		});
	});
});
