import type {SubmitBody} from '../server/schemas.js';
import {SITE_NAME} from '../sites/site-name.js';

// Lambda's render options framefarm takes as they are (see the README's table).
const PASSED = [
	'codec', 'inputProps', 'composition', 'audioCodec', 'crf', 'imageFormat', 'jpegQuality', 'scale', 'muted', 'audioBitrate', 'videoBitrate', 'pixelFormat',
	'proResProfile', 'x264Preset', 'colorSpace', 'numberOfGifLoops', 'envVariables', 'metadata', 'timeoutInMilliseconds', 'maxRetries', 'everyNthFrame', 'frameRange',
	'framesPerLambda', 'forceWidth', 'forceHeight', 'forceFps', 'forceDurationInFrames', 'downloadBehavior', 'webhook',
] as const;

/** Where a Lambda call names its site: a framefarm site name, or a serve URL the farm handed out. */
export const siteOfServeUrl = (serveUrl: string): {siteName: string} | {serveUrl: string} => (SITE_NAME.test(serveUrl) ? {siteName: serveUrl} : {serveUrl});

/** A Lambda output name (a key, or {key, bucketName}) as the file name of a framefarm output. */
export const outNameOf = (outName: unknown): string | undefined => {
	const key = typeof outName === 'string' ? outName : typeof outName === 'object' && outName !== null && 'key' in outName ? String(outName.key) : undefined;
	return key?.split('/').pop();
};

/**
 * renderMediaOnLambda()'s options as framefarm's POST /api/render body: the options framefarm
 * takes pass through; options that only mean something on AWS (region, functionName, privacy,
 * storageClass, concurrency, ...) are left out, as are Chromium launch flags (only darkMode is
 * per render here). Null means "the default" in Lambda, and is left out too.
 */
export const lambdaRenderBody = (input: Record<string, unknown>): SubmitBody => {
	const body: Record<string, unknown> = {...siteOfServeUrl(String(input.serveUrl))};
	for (const name of PASSED) {
		if (input[name] !== undefined && input[name] !== null) {
			body[name] = input[name];
		}
	}
	const outName = outNameOf(input.outName);
	if (outName !== undefined) {
		body.outName = outName;
	}
	const chromium = input.chromiumOptions as {darkMode?: boolean} | undefined;
	if (chromium?.darkMode !== undefined) {
		body.chromiumOptions = {darkMode: chromium.darkMode};
	}
	return body as SubmitBody;
};
