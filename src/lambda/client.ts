import type {VideoConfig} from 'remotion';
import {VERSION} from 'remotion/version';
import {getSites as getFarmSites} from '../client/sites.js';
import {requestJson} from '../client/request-json.js';
import type {RenderProgress} from '../progress/progress-schemas.js';
import type {stillResponseSchema, submitResponseSchema} from '../server/schemas.js';
import type {z} from 'zod';
import {farmOf, type FarmConnection} from './farm-connection.js';
import {asLambdaCall} from './lambda-errors.js';
import {lambdaRenderBody, outNameOf, siteOfServeUrl} from './lambda-render-body.js';

// framefarm/lambda/client: Remotion Lambda's light client, on a framefarm farm. The same names,
// parameters and results as @remotion/lambda/client (test/lambda-types.ts holds them to that),
// fetch only, no server code. Options that mean something on AWS only are taken and ignored.

/** Options of a Lambda call that framefarm does not read: taken so that Lambda's code type-checks. */
type LambdaOptions = {[option: string]: unknown};

export type RenderMediaOnLambdaInput = LambdaOptions &
	FarmConnection & {
		/** A framefarm site's name, or the serveUrl `sites create` printed. */
		serveUrl: string;
		composition: string;
		codec: string;
		inputProps?: Record<string, unknown>;
	};

export type RenderMediaOnLambdaOutput = {
	renderId: string;
	bucketName: string;
	cloudWatchLogs: string;
	cloudWatchMainLogs: string;
	lambdaInsightsLogs: string;
	folderInS3Console: string;
	progressJsonInConsole: string;
};

/** Queues a render of a site's composition; resolves once it is queued, as Lambda's does once invoked. */
export const renderMediaOnLambda = async (input: RenderMediaOnLambdaInput): Promise<RenderMediaOnLambdaOutput> => {
	const farm = farmOf(input);
	const queued = await asLambdaCall(() => requestJson<z.output<typeof submitResponseSchema>>(farm, 'POST', '/api/render', lambdaRenderBody(input)));
	return {
		renderId: queued.renderId,
		bucketName: queued.bucketName,
		cloudWatchLogs: queued.cloudWatchLogs,
		cloudWatchMainLogs: queued.cloudWatchLogs,
		lambdaInsightsLogs: queued.cloudWatchLogs,
		folderInS3Console: queued.folderInS3Console,
		progressJsonInConsole: `${farm.serverUrl}/api/render/${queued.renderId}/progress`,
	};
};

/** @deprecated Lambda's old name for renderMediaOnLambda(). */
export const renderVideoOnLambda = renderMediaOnLambda;

export type GetRenderProgressInput = LambdaOptions & FarmConnection & {renderId: string; bucketName?: string};

/** The whole progress object, field for field as GET /api/render/{renderId}/progress answers it. */
export const getRenderProgress = (input: GetRenderProgressInput): Promise<RenderProgress> =>
	asLambdaCall(() => requestJson<RenderProgress>(farmOf(input), 'GET', `/api/render/${encodeURIComponent(input.renderId)}/progress`), input);

export type CancelRenderOnLambdaInput = LambdaOptions & FarmConnection & {renderId: string; bucketName?: string};

/** Stops a queued or running render (DELETE /api/render/{renderId}); its progress then reports the cancellation as its error. */
export const cancelRenderOnLambda = async (input: CancelRenderOnLambdaInput): Promise<void> => {
	await asLambdaCall(() => requestJson(farmOf(input), 'DELETE', `/api/render/${encodeURIComponent(input.renderId)}`), input);
};

export type RenderStillOnLambdaInput = LambdaOptions &
	FarmConnection & {
		serveUrl: string;
		composition: string;
		inputProps: Record<string, unknown>;
		imageFormat: string;
	};

export type RenderStillOnLambdaOutput = z.output<typeof stillResponseSchema> & {cloudWatchLogs: string; artifacts: never[]};

/** Renders one frame and resolves once the image is stored (POST /api/still). */
export const renderStillOnLambda = async (input: RenderStillOnLambdaInput): Promise<RenderStillOnLambdaOutput> => {
	const farm = farmOf(input);
	const picked = Object.fromEntries(
		(['frame', 'jpegQuality', 'scale', 'envVariables'] as const).flatMap((name) => (input[name] === undefined || input[name] === null ? [] : [[name, input[name]]])),
	);
	const outName = outNameOf(input.outName);
	const still = await asLambdaCall(() =>
		requestJson<z.output<typeof stillResponseSchema>>(farm, 'POST', '/api/still', {
			...siteOfServeUrl(input.serveUrl),
			composition: input.composition,
			inputProps: input.inputProps,
			imageFormat: input.imageFormat,
			...picked,
			...(outName === undefined ? {} : {outName}),
		}),
	);
	return {...still, cloudWatchLogs: `${farm.serverUrl}/api/render/${still.renderId}/log`, artifacts: []};
};

export type DeleteRenderInput = LambdaOptions & FarmConnection & {renderId: string; bucketName?: string};

/** Deletes a finished render: its output, its files and its record (DELETE /api/renders/{renderId}). */
export const deleteRender = (input: DeleteRenderInput): Promise<{freedBytes: number}> =>
	asLambdaCall(() => requestJson<{freedBytes: number}>(farmOf(input), 'DELETE', `/api/renders/${encodeURIComponent(input.renderId)}`), input);

export type GetCompositionsOnLambdaInput = LambdaOptions & FarmConnection & {serveUrl: string; inputProps: Record<string, unknown>};

/** The site's compositions, each set up by its calculateMetadata() for the inputProps (POST /api/compositions). */
export const getCompositionsOnLambda = async (input: GetCompositionsOnLambdaInput): Promise<VideoConfig[]> => {
	const {compositions} = await asLambdaCall(() =>
		requestJson<{compositions: VideoConfig[]}>(farmOf(input), 'POST', '/api/compositions', {...siteOfServeUrl(input.serveUrl), inputProps: input.inputProps}),
	);
	return compositions;
};

export type PresignUrlInput<CheckIfObjectExists extends boolean = boolean> = LambdaOptions &
	FarmConnection & {bucketName: string; objectKey: string; expiresInSeconds: number; checkIfObjectExists?: CheckIfObjectExists};

/**
 * A URL of one of your render files (`outKey` of the progress, or any file under
 * renders/<renderId>/) that works without a key for `expiresInSeconds` (at most 7 days). With
 * checkIfObjectExists, null when there is no such file.
 */
export const presignUrl = async <CheckIfObjectExists extends boolean = false>(
	input: PresignUrlInput<CheckIfObjectExists>,
): Promise<CheckIfObjectExists extends true ? string | null : string> => {
	const {objectKey, expiresInSeconds, checkIfObjectExists = false} = input;
	const {url} = await asLambdaCall(() => requestJson<{url: string | null}>(farmOf(input), 'POST', '/api/presign', {objectKey, expiresInSeconds, checkIfObjectExists}));
	return url as CheckIfObjectExists extends true ? string | null : string;
};

export type SpeculateFunctionNameInput = {memorySizeInMb: string | number; diskSizeInMb: string | number; timeoutInSeconds: string | number};

/** The name Lambda would give such a function; every framefarm call accepts any name. */
export const speculateFunctionName = ({memorySizeInMb, diskSizeInMb, timeoutInSeconds}: SpeculateFunctionNameInput): string =>
	`remotion-render-${VERSION.replace(/\./g, '-')}-mem${memorySizeInMb}mb-disk${diskSizeInMb}mb-${timeoutInSeconds}sec`;

export type FunctionInfo = {functionName: string; timeoutInSeconds: number; memorySizeInMb: number; version: string | null; diskSizeInMb: number};

/** The farm as one "function": framefarm has no functions to list, and renders on whichever worker is free. */
export const getFunctions = async (_input: LambdaOptions = {}): Promise<FunctionInfo[]> => [
	{functionName: speculateFunctionName({memorySizeInMb: 2048, diskSizeInMb: 2048, timeoutInSeconds: 900}), timeoutInSeconds: 900, memorySizeInMb: 2048, version: VERSION, diskSizeInMb: 2048},
];

export type GetSitesOutput = {
	sites: {sizeInBytes: number; lastModified: number | null; bucketName: string; id: string; serveUrl: string; version: string | null}[];
	buckets: {name: string; creationDate: number; region: 'us-east-1'}[];
};

/** The key's sites (and the shared ones), as Lambda lists the sites of its buckets. */
export const getSites = async (input: LambdaOptions & FarmConnection = {}): Promise<GetSitesOutput> => {
	const {sites, bucketName} = await getFarmSites(farmOf(input));
	return {
		sites: sites.map((site) => ({id: site.siteName, serveUrl: site.serveUrl, sizeInBytes: site.sizeInBytes, lastModified: site.deployedAt, bucketName, version: VERSION})),
		buckets: [{name: bucketName, creationDate: 0, region: 'us-east-1'}],
	};
};

/**
 * Throws unless the webhook's X-Remotion-Signature is the HMAC-SHA512 of its body with the
 * secret, as Remotion Lambda signs and framefarm's webhooks do. Needs node:crypto (Node 20.16+).
 */
export const validateWebhookSignature = ({secret, body, signatureHeader}: {secret: string; body: unknown; signatureHeader: string}): void => {
	type NodeCrypto = {createHmac: (algorithm: string, key: string) => {update: (data: string) => {digest: (encoding: 'hex') => string}}};
	const nodeCrypto = (globalThis as {process?: {getBuiltinModule?: (name: string) => unknown}}).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
	if (nodeCrypto === undefined) {
		throw new Error('validateWebhookSignature() needs node:crypto: run it in Node.js 20.16 or later');
	}
	const expected = `sha512=${nodeCrypto.createHmac('sha512', secret).update(JSON.stringify(body)).digest('hex')}`;
	if (expected !== signatureHeader) {
		throw new Error('The webhook signature does not match: the body was changed, or the secret is not the one the render was given');
	}
};
