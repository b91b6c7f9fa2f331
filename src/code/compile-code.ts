import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import {isAllowedModule, ALLOWED_MODULES} from './allowed-modules.js';
import {CompileError} from './compile-error.js';
import {inTime} from '../async/in-time.js';

export type CompiledCode = {
	/** CommonJS module text, evaluated in the page with a `require` limited to ALLOWED_MODULES. */
	js: string;
	/** The export that holds the component: 'default' or a named export. */
	exportName: string;
	/** 'module' when the code was a whole module, 'body' when it was a component body. */
	form: 'module' | 'body';
};

// Resolved against the package root, so it works from dist/ and from src/ alike.
const INJECTED_NAMES_FILE = fileURLToPath(
	new URL('../../src/code/injected-names.ts', import.meta.url),
);

const SOURCE_FILE = 'input.tsx';
const BODY_PREFIX = 'export default function DynamicComponent() {\n';
const BODY_SUFFIX = '\n}';

type Attempt =
	| {ok: true; js: string; exports: string[]; format: 'esm' | 'cjs' | undefined}
	| {ok: false; error: CompileError; offset: number; parsed: boolean};

// esbuild takes milliseconds; code that takes it this long is refused rather than waited for.
const COMPILE_TIMEOUT_MS = 10_000;

/**
 * Compiles user TSX into a module the DynamicCode composition can evaluate. Runs entirely on
 * the server and never executes the code, so a bad submission fails here, before any browser
 * starts.
 */
export const compileCode = async (code: string, {timeoutMs = COMPILE_TIMEOUT_MS}: {timeoutMs?: number} = {}): Promise<CompiledCode> => {
	return inTime(compile(code), timeoutMs, () => {
		throw new CompileError(`Compiling inputProps.code took longer than ${timeoutMs / 1000} s; send smaller code.`);
	});
};

const compile = async (code: string): Promise<CompiledCode> => {
	if (code.trim() === '') {
		throw new CompileError('inputProps.code is empty: send the TSX source of a Remotion component.');
	}

	const asModule = await tryBuild(code, 0);
	// esbuild reads code with a top-level `return` and no import/export as CommonJS: that is a
	// component body, and it is compiled as one.
	if (asModule.ok && asModule.format !== 'cjs') {
		return fromModule(code, asModule.js, asModule.exports);
	}
	if (!asModule.ok && asModule.parsed) {
		// It is a module, and it imports something it may not.
		throw asModule.error;
	}

	// A body is wrapped in a function. When neither reading compiles, the one that got further
	// into the code has the error worth showing.
	const asBody = await tryBuild(`${BODY_PREFIX}${code}${BODY_SUFFIX}`, 1);
	if (asBody.ok) {
		return {js: await toCommonJs(asBody.js), exportName: 'default', form: 'body'};
	}
	const error = asModule.ok || asBody.offset > asModule.offset ? asBody.error : asModule.error;
	throw looksLikeProse(code) ? error.withHint(PROSE_HINT) : error;
};

const fromModule = async (code: string, js: string, exports: string[]): Promise<CompiledCode> => {
	const exportName = pickComponentExport(exports);
	if (exportName !== null) {
		return {js: await toCommonJs(js), exportName, form: 'module'};
	}
	const declared = lastDeclaredComponent(code);
	if (declared !== null) {
		const withExport = await tryBuild(`${code}\nexport default ${declared};`, 0);
		if (withExport.ok) {
			return {js: await toCommonJs(withExport.js), exportName: 'default', form: 'module'};
		}
	}
	throw new CompileError(
		'inputProps.code defines no component: export one (`export const MyAnimation = () => ...` or `export default`), or send only the body of a component that ends in `return <... />`.',
	);
};

const PROSE_HINT =
	'It looks like a text prompt rather than code: send the TSX source of a Remotion component.';

const tryBuild = async (contents: string, lineOffset: number): Promise<Attempt> => {
	try {
		const result = await esbuild.build({
			stdin: {contents, loader: 'tsx', sourcefile: SOURCE_FILE, resolveDir: '/'},
			absWorkingDir: '/',
			bundle: true,
			write: false,
			format: 'esm',
			platform: 'browser',
			target: 'es2022',
			jsx: 'automatic',
			inject: [INJECTED_NAMES_FILE],
			metafile: true,
			logLevel: 'silent',
			// Keep every import, used or not: TypeScript would drop an unused `import fs from 'fs'`
			// and the code would compile while asking for a module it may not have.
			tsconfigRaw: {compilerOptions: {verbatimModuleSyntax: true}},
			plugins: [allowOnlyKnownModules],
		});
		const [output] = result.outputFiles;
		const meta = Object.values(result.metafile.outputs)[0];
		if (!output || !meta) {
			throw new Error('esbuild produced no output');
		}
		const format = result.metafile.inputs[SOURCE_FILE]?.format;
		return {ok: true, js: output.text, exports: meta.exports, format};
	} catch (err) {
		return toFailedAttempt(err, lineOffset);
	}
};

const PLUGIN_NAME = 'framefarm-allowed-modules';

const allowOnlyKnownModules: esbuild.Plugin = {
	name: PLUGIN_NAME,
	setup(build) {
		build.onResolve({filter: /.*/}, (args) => {
			if (args.kind === 'entry-point') {
				return undefined;
			}
			if (isAllowedModule(args.path)) {
				// Without side effects, an import the code does not use is left out of the output, so
				// the page loads only the modules the code needs (three.js and Lottie are loaded lazily).
				return {path: args.path, external: true, sideEffects: false};
			}
			if (args.importer === INJECTED_NAMES_FILE) {
				// Unreachable unless injected-names.ts imports a module missing from the list.
				return {errors: [{text: `injected-names imports "${args.path}", which is not allowed`}]};
			}
			return {
				errors: [
					{
						text: `Cannot import "${args.path}": user code may import only ${ALLOWED_MODULES.join(', ')}.`,
					},
				],
			};
		});
	},
};

const toFailedAttempt = (err: unknown, lineOffset: number): Attempt => {
	const first = (err as esbuild.BuildFailure).errors?.[0];
	if (!first) {
		throw err;
	}
	const location = first.location;
	const line = location ? location.line - lineOffset : null;
	const column = location ? location.column + 1 : null;
	const where = line !== null && line > 0 ? ` (line ${line}, column ${column})` : '';
	const offset = location ? location.line * 1e6 + location.column - lineOffset * 1e6 : -1;
	return {
		ok: false,
		offset,
		// Only the import check runs as a plugin, and only on code that parsed.
		parsed: first.pluginName === PLUGIN_NAME,
		error: new CompileError(`inputProps.code does not compile${where}: ${first.text}`, {
			line: line !== null && line > 0 ? line : null,
			column,
		}),
	};
};

const toCommonJs = async (esm: string): Promise<string> => {
	const result = await esbuild.transform(esm, {format: 'cjs', target: 'es2022', loader: 'js'});
	return result.code;
};

// Components are capitalised (React treats a lowercase JSX tag as an HTML element), so a
// lowercase export such as `export const config = {...}` is never taken for one.
const pickComponentExport = (exports: string[]): string | null => {
	if (exports.includes('default')) {
		return 'default';
	}
	const components = exports.filter((name) => /^[A-Z]/.test(name));
	if (components.length > 1) {
		throw new CompileError(
			`inputProps.code exports several components (${components.join(', ')}): make the one to render the default export.`,
		);
	}
	return components[0] ?? null;
};

// A module that declares `const MyAnimation = () => ...` but forgets to export it. The last
// capitalised top-level declaration is taken, as generated code defines helpers first.
const lastDeclaredComponent = (code: string): string | null => {
	const names = [...code.matchAll(/^(?:const|let|var|function)\s+([A-Z][A-Za-z0-9_$]*)/gm)].map(
		(match) => match[1],
	);
	return names.at(-1) ?? null;
};

// Prose has words and spaces but none of the punctuation that every component needs.
const looksLikeProse = (code: string): boolean => !/[(){}<>=;]/.test(code);
