import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type {WebpackOverrideFn} from '@remotion/bundler';

/** What a project's remotion.config.ts says about bundling; the rest of it is for renders and ignored here. */
export type RemotionConfig = {
	file: string | null;
	webpackOverride: WebpackOverrideFn | null;
	publicDir: string | null;
	entryPoint: string | null;
};

const CONFIG_FILES = ['remotion.config.ts', 'remotion.config.js', 'remotion.config.mjs'];
const CONFIG_MODULES = ['@remotion/cli/config', 'remotion'];

/**
 * Runs the project's remotion.config.ts as the Remotion CLI would, with a `Config` that records
 * the bundling settings (overrideWebpackConfig, setPublicDir, setEntryPoint) and takes every
 * other call as it is: framefarm needs no @remotion/cli. Its own imports (a webpack override
 * using @remotion/tailwind, say) load from the project's node_modules.
 */
export const readRemotionConfig = async (projectRoot: string): Promise<RemotionConfig> => {
	const file = CONFIG_FILES.map((name) => path.join(projectRoot, name)).find((candidate) => fs.existsSync(candidate)) ?? null;
	const config: RemotionConfig = {file, webpackOverride: null, publicDir: null, entryPoint: null};
	if (file === null) {
		return config;
	}
	const recorder: Record<string, unknown> = new Proxy(
		{
			overrideWebpackConfig: (fn: WebpackOverrideFn) => (config.webpackOverride = fn),
			setPublicDir: (dir: string) => (config.publicDir = path.resolve(projectRoot, dir)),
			setEntryPoint: (entry: string) => (config.entryPoint = path.resolve(projectRoot, entry)),
		} as Record<string, unknown>,
		{get: (target, name: string) => target[name] ?? (() => undefined)},
	);
	// The legacy form, Config.Bundling.overrideWebpackConfig(), reaches the same recorder.
	const Config = new Proxy(recorder, {get: (target, name: string) => (/^[A-Z]/.test(name) ? recorder : target[name])});
	const built = await esbuild.build({
		entryPoints: [file],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		write: false,
		logLevel: 'silent',
		packages: 'external',
	});
	const projectRequire = createRequire(file);
	const requireFor = (name: string) => (CONFIG_MODULES.includes(name) ? {Config} : projectRequire(name));
	const module = {exports: {}};
	try {
		new Function('require', 'module', 'exports', '__filename', '__dirname', built.outputFiles[0]!.text)(requireFor, module, module.exports, file, path.dirname(file));
	} catch (err) {
		throw new Error(`${path.basename(file)} failed to run: ${(err as Error).message}`);
	}
	return config;
};
