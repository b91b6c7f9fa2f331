import crypto from 'node:crypto';
import fs from 'node:fs';
import type {WebpackOverrideFn} from '@remotion/bundler';
import {deploySiteFolder} from '../client/deploy-site.js';
import {requestJson} from '../client/request-json.js';
import {bundleProject} from '../sites/bundle-project.js';
import {SITE_NAME} from '../sites/site-name.js';
import {farmOf, type FarmConnection} from './farm-connection.js';

type LambdaOptions = {[option: string]: unknown};

export type DeploySiteInput = LambdaOptions &
	FarmConnection & {
		entryPoint: string;
		/** The farm's bucket (getOrCreateBucket()); framefarm keeps sites in it whatever is passed. */
		bucketName: string;
		/** Lowercase letters, digits and dashes; a random one when left out, as in Lambda. */
		siteName?: string;
		/** Deploy it as a shared site: every key may render it (framefarm's addition). */
		shared?: boolean;
		/** Throw if the key already has a site of this name, rather than replace it. */
		throwIfSiteExists?: boolean;
		options?: {
			onBundleProgress?: (progress: number) => void;
			onUploadProgress?: (upload: {totalFiles: number; filesUploaded: number; totalSize: number; sizeUploaded: number}) => void;
			webpackOverride?: WebpackOverrideFn;
			publicDir?: string | null;
			rootDir?: string;
			/** Webpack's cache, on unless false, as in Lambda. */
			enableCaching?: boolean;
			[option: string]: unknown;
		};
	};

export type DeploySiteOutput = {serveUrl: string; siteName: string; stats: {uploadedFiles: number; deletedFiles: number; untouchedFiles: number}};

// Lambda's default site names: 10 random characters.
const randomSiteName = () => crypto.randomBytes(5).toString('hex');

/**
 * Bundles a Remotion project and deploys it as a site of the key (as `npx framefarm sites create`
 * does): only the files the farm lacks are uploaded. Replaces the key's site of that name.
 */
export const deploySite = async (input: DeploySiteInput): Promise<DeploySiteOutput> => {
	const farm = farmOf(input);
	const siteName = input.siteName ?? randomSiteName();
	if (!SITE_NAME.test(siteName)) {
		throw new TypeError(`siteName must be 1 to 63 lowercase letters, digits and dashes, not starting with a dash; got "${siteName}"`);
	}
	if (input.throwIfSiteExists === true) {
		const {sites} = await requestJson<{sites: {siteName: string}[]}>(farm, 'GET', '/api/sites');
		if (sites.some((site) => site.siteName === siteName)) {
			throw new Error(`A site named "${siteName}" already exists (throwIfSiteExists is set)`);
		}
	}
	const options = input.options ?? {};
	const bundleDir = await bundleProject({
		entryPoint: input.entryPoint,
		onProgress: options.onBundleProgress,
		webpackOverride: options.webpackOverride,
		rootDir: options.rootDir,
		publicDir: options.publicDir,
		enableCaching: options.enableCaching,
	});
	try {
		const deployed = await deploySiteFolder({
			...farm,
			bundleDir,
			siteName,
			shared: input.shared ?? false,
			onProgress: ({doneBytes, totalBytes, doneFiles, totalFiles}) =>
				options.onUploadProgress?.({totalFiles, filesUploaded: doneFiles, totalSize: totalBytes, sizeUploaded: doneBytes}),
		});
		return {
			serveUrl: deployed.serveUrl,
			siteName,
			stats: {uploadedFiles: deployed.uploadedFiles, deletedFiles: deployed.removedFiles, untouchedFiles: deployed.files - deployed.uploadedFiles},
		};
	} finally {
		fs.rmSync(bundleDir, {recursive: true, force: true});
	}
};
