import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {compileCode} from '../src/code/compile-code.js';
import {CompileError} from '../src/code/compile-error.js';
import {readExample} from './helpers.js';

// Evaluates the compiled module the way the page does, with stand-ins for the allowed modules,
// to see which export was chosen and what the code asked for.
const evaluate = (js: string) => {
	const required: string[] = [];
	const module: {exports: Record<string, unknown>} = {exports: {}};
	const fakeModule = new Proxy({}, {get: (_, key) => (key === '__esModule' ? false : () => null)});
	new Function('require', 'module', 'exports', js)(
		(name: string) => {
			required.push(name);
			return fakeModule;
		},
		module,
		module.exports,
	);
	return {exports: module.exports, required};
};

const rejects = async (code: string, pattern: RegExp) => {
	await assert.rejects(compileCode(code), (err: unknown) => {
		assert.ok(err instanceof CompileError, `expected a CompileError, got ${String(err)}`);
		assert.match(err.message, pattern);
		return true;
	});
};

describe('compileCode: accepted forms', () => {
	it('a module with a named component export', async () => {
		const result = await compileCode(
			"import {AbsoluteFill} from 'remotion';\nexport const MyAnimation = () => <AbsoluteFill />;",
		);
		assert.equal(result.form, 'module');
		assert.equal(result.exportName, 'MyAnimation');
		assert.equal(typeof evaluate(result.js).exports.MyAnimation, 'function');
	});

	it('prefers the default export over named ones', async () => {
		const result = await compileCode('export const A = () => null;\nexport const B = () => null;\nexport default A;');
		assert.equal(result.exportName, 'default');
	});

	it('ignores lowercase exports when picking the component', async () => {
		const result = await compileCode('export const config = {x: 1};\nexport const Scene = () => <div />;');
		assert.equal(result.exportName, 'Scene');
	});

	it('a component that is declared but not exported', async () => {
		const result = await compileCode('const Helper = () => <div />;\nconst MyAnimation = () => <Helper />;');
		assert.equal(result.exportName, 'default');
		assert.equal(typeof evaluate(result.js).exports.default, 'function');
	});

	it('a bare body using injected names, without imports', async () => {
		const result = await compileCode(readExample('bare-body.txt'));
		assert.equal(result.form, 'body');
		assert.equal(result.exportName, 'default');
		const {exports, required} = evaluate(result.js);
		assert.equal(typeof exports.default, 'function');
		assert.ok(required.includes('remotion'));
		assert.ok(required.includes('@remotion/shapes'));
	});

	it('a name the code declares itself is not replaced by an injected one', async () => {
		const result = await compileCode('const Circle = () => <b />;\nexport default () => <Circle />;');
		assert.doesNotMatch(result.js, /import_shapes\.Circle/);
	});

	for (const example of ['title-card.tsx', 'shapes-transitions.tsx', 'rotating-cube.tsx']) {
		it(`the example ${example}`, async () => {
			const result = await compileCode(readExample(example));
			assert.equal(result.form, 'module');
		});
	}

	it('every allowed module can be imported', async () => {
		const result = await compileCode(
			[
				"import React from 'react';",
				"import {AbsoluteFill} from 'remotion';",
				"import {Rect} from '@remotion/shapes';",
				"import {TransitionSeries} from '@remotion/transitions';",
				"import {fade} from '@remotion/transitions/fade';",
				"import {Lottie} from '@remotion/lottie';",
				"import {ThreeCanvas} from '@remotion/three';",
				"import {useThree} from '@react-three/fiber';",
				"import * as THREE from 'three';",
				'const used = [React, Rect, TransitionSeries, fade, Lottie, ThreeCanvas, useThree, THREE];',
				'export default () => <AbsoluteFill>{used.length}</AbsoluteFill>;',
			].join('\n'),
		);
		const {required} = evaluate(result.js);
		for (const name of ['react', 'remotion', '@remotion/shapes', '@remotion/transitions/fade', '@remotion/lottie', '@remotion/three', 'three', '@react-three/fiber']) {
			assert.ok(required.includes(name), `requires ${name}`);
		}
	});

	it('requires only the modules the code uses, so a page loads three.js and Lottie only when needed', async () => {
		const body = await compileCode('return <AbsoluteFill><Circle radius={40} fill="red" /></AbsoluteFill>;');
		assert.deepEqual(evaluate(body.js).required.sort(), ['@remotion/shapes', 'react/jsx-runtime', 'remotion']);
		const unused = await compileCode("import * as THREE from 'three';\nimport {Lottie} from '@remotion/lottie';\nexport default () => null;");
		assert.deepEqual(evaluate(unused.js).required, []);
		const three = await compileCode('return <ThreeCanvas width={100} height={100}><mesh /></ThreeCanvas>;');
		assert.ok(evaluate(three.js).required.includes('@remotion/three'));
	});
});

describe('compileCode: rejected input', () => {
	it('a prose prompt', async () => {
		await rejects('Create a rotating 3D cube with blue color', /line 1, column \d+.*text prompt rather than code/);
	});

	it('a syntax error, with its line and column', async () => {
		await assert.rejects(compileCode('export const A = () => {\n  return <div>;\n};'), (err: unknown) => {
			assert.ok(err instanceof CompileError);
			assert.equal(err.line, 3);
			assert.equal(err.column, 1);
			assert.match(err.message, /does not compile \(line 3, column 1\)/);
			return true;
		});
	});

	it('a syntax error in a bare body points into the body', async () => {
		await assert.rejects(compileCode('const frame = useCurrentFrame();\nreturn <AbsoluteFill>{frame</AbsoluteFill>;'), (err: unknown) => {
			assert.ok(err instanceof CompileError);
			assert.equal(err.line, 2);
			return true;
		});
	});

	it('a module with no component', async () => {
		await rejects('export const x = 1;', /defines no component/);
		await rejects('const x = 1;', /defines no component/);
	});

	it('several exported components and no default', async () => {
		await rejects('export const A = () => null;\nexport const B = () => null;', /several components \(A, B\)/);
	});

	it("import fs from 'fs', even when fs is unused", async () => {
		await rejects("import fs from 'fs';\nexport default () => null;", /Cannot import "fs"/);
	});

	it('any other module, naming it', async () => {
		await rejects("import axios from 'axios';\nexport default () => axios;", /Cannot import "axios"/);
		await rejects("import x from './local';\nexport default () => x;", /Cannot import "\.\/local"/);
		await rejects("const cp = require('child_process');\nexport default () => cp;", /Cannot import "child_process"/);
	});

	it('empty code', async () => {
		await rejects('   \n', /empty/);
	});

	it('code that takes longer than the compile timeout', async () => {
		// 200 000 nested expressions take esbuild well over a millisecond.
		const slow = `export default () => ${'('.repeat(2000)}1${')'.repeat(2000)} + [${'1,'.repeat(200_000)}].length;`;
		await assert.rejects(compileCode(slow, {timeoutMs: 1}), (err: unknown) => err instanceof CompileError && /took longer than 0\.001 s/.test(err.message));
	});
});
