import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundle, type WebpackOverrideFn} from '@remotion/bundler';
import {removeSourceMapComments} from '../render/bundle-site.js';
import {readRemotionConfig} from './read-remotion-config.js';

// Checks a render's props against the composition's zod schema in the page (see the file).
const CHECK_PROPS_ENTRY = fileURLToPath(new URL('../../src/site/check-props-entry.ts', import.meta.url));

/** The project does not bundle: the message is webpack's (its file and line), for the user. */
export class BundleError extends Error {}

export type BundleProjectOptions = {
	entryPoint: string;
	onProgress?: ((percent: number) => void) | undefined;
	/** Applied after the project's own remotion.config.ts override (deploySite()'s option). */
	webpackOverride?: WebpackOverrideFn | undefined;
	/** The project's folder, and its public folder, where the config or its package.json does not say. */
	rootDir?: string | undefined;
	publicDir?: string | null | undefined;
	/** Webpack's cache in the project's node_modules/.cache, on as in `npx remotion bundle`: a redeploy bundles in seconds. */
	enableCaching?: boolean | undefined;
};

/**
 * Bundles a Remotion project as `npx remotion bundle` would: its registerRoot() entry point,
 * its own node_modules, its public/ folder for staticFile(), and the webpack override of its
 * remotion.config.ts. Returns a temporary folder with the bundle; the caller removes it.
 */
export const bundleProject = async ({entryPoint, onProgress, webpackOverride = (same) => same, rootDir, publicDir, enableCaching = true}: BundleProjectOptions): Promise<string> => {
	const entry = path.resolve(entryPoint);
	if (!fs.existsSync(entry)) {
		throw new BundleError(`The entry point ${entry} does not exist: give the file that calls registerRoot()`);
	}
	const projectRoot = rootDir === undefined ? findProjectRoot(path.dirname(entry)) : path.resolve(rootDir);
	const config = await readRemotionConfig(projectRoot);
	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-bundle-'));
	try {
		await bundle({
			entryPoint: entry,
			outDir,
			rootDir: projectRoot,
			publicDir: publicDir ?? config.publicDir,
			enableCaching,
			// No source maps, as for the built-in site: Remotion parses the map at the start of every chunk.
			webpackOverride: async (webpack) => {
				const overridden = await webpackOverride(await (config.webpackOverride ?? ((same) => same))(webpack));
				// An override that made the entry something else than Remotion's list keeps it, unchecked.
				const entry = Array.isArray(overridden.entry) ? [...overridden.entry, CHECK_PROPS_ENTRY] : overridden.entry;
				return {...overridden, entry, devtool: false};
			},
			onProgress: onProgress ?? (() => undefined),
		});
		removeSourceMapComments(path.join(outDir, 'bundle.js'));
		return outDir;
	} catch (err) {
		fs.rmSync(outDir, {recursive: true, force: true});
		throw new BundleError(`The project at ${projectRoot} does not bundle: ${(err as Error).message}`);
	}
};

/** The folder with the project's package.json, where Remotion looks for public/ and the config. */
const findProjectRoot = (from: string): string => {
	for (let dir = from; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) {
			return dir;
		}
		if (path.dirname(dir) === dir) {
			return from;
		}
	}
};
