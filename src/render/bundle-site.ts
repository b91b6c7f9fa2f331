import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {bundle} from '@remotion/bundler';
import {ALLOWED_MODULES} from '../code/allowed-modules.js';
import {publishFolder} from './publish-folder.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SITE_DIR = path.join(PACKAGE_ROOT, 'src', 'site');
// The site's own files, the two shared files it imports from src/code, and this file (the
// bundler's options).
const SITE_INPUTS = [
	SITE_DIR,
	path.join(PACKAGE_ROOT, 'src', 'render', 'bundle-site.ts'),
	path.join(PACKAGE_ROOT, 'src', 'code', 'allowed-modules.ts'),
	path.join(PACKAGE_ROOT, 'src', 'code', 'dynamic-code-props.ts'),
];
const require = createRequire(import.meta.url);

const listFiles = (file: string): string[] =>
	fs.statSync(file).isDirectory()
		? fs
				.readdirSync(file)
				.sort()
				.flatMap((name) => listFiles(path.join(file, name)))
		: [file];

const packageVersion = (name: string): string => {
	const root = name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/');
	// Read the file directly: not every package exports its package.json.
	for (const dir of require.resolve.paths(root) ?? []) {
		const file = path.join(dir, root, 'package.json');
		if (fs.existsSync(file)) {
			return (JSON.parse(fs.readFileSync(file, 'utf8')) as {version: string}).version;
		}
	}
	throw new Error(`Cannot find the package ${root}`);
};

/** A hash of everything that goes into the bundle: the site's sources and the bundled versions. */
export const hashSiteInputs = (): string => {
	const hash = crypto.createHash('sha256');
	for (const file of SITE_INPUTS.flatMap(listFiles)) {
		hash.update(path.relative(PACKAGE_ROOT, file)).update(fs.readFileSync(file));
	}
	for (const name of [...ALLOWED_MODULES, '@remotion/bundler']) {
		hash.update(`${name}@${packageVersion(name)}`);
	}
	return hash.digest('hex').slice(0, 16);
};

/**
 * Some packages ship a `//# sourceMappingURL=` comment that webpack copies into the bundle as it
 * is. Remotion would follow the last one to a map that is not there, and fail the render.
 */
export const removeSourceMapComments = (file: string) => {
	const text = fs.readFileSync(file, 'utf8');
	fs.writeFileSync(file, text.replace(/^\/\/[#@] ?sourceMappingURL=.*$/gm, ''));
};

/**
 * The Remotion site, bundled once per content hash into the cache dir (webpack takes many
 * seconds; a render never waits for it twice). Returns the bundle's folder, which the worker's
 * site server serves.
 */
export const bundleSite = async ({
	cacheDir,
	onProgress,
}: {
	cacheDir: string;
	onProgress?: (percent: number) => void;
}): Promise<string> => {
	const target = path.join(cacheDir, `site-${hashSiteInputs()}`);
	if (fs.existsSync(path.join(target, 'index.html'))) {
		return target;
	}
	fs.mkdirSync(cacheDir, {recursive: true});
	const staging = fs.mkdtempSync(path.join(cacheDir, '.staging-'));
	try {
		await bundle({
			entryPoint: path.join(SITE_DIR, 'index.ts'),
			outDir: staging,
			rootDir: PACKAGE_ROOT,
			enableCaching: false,
			// No source maps: Remotion reads and parses the bundle's map synchronously at the start of
			// every renderMedia() call, holding the event loop 200-600 ms per chunk (progress requests
			// waited behind it). User code runs through new Function() and is not in the map anyway.
			webpackOverride: (config) => ({...config, devtool: false}),
			onProgress: onProgress ?? (() => undefined),
		});
		removeSourceMapComments(path.join(staging, 'bundle.js'));
		publishFolder(staging, target);
		return target;
	} finally {
		fs.rmSync(staging, {recursive: true, force: true});
	}
};
