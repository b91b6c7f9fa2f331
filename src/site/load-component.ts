import type React from 'react';
import {MODULE_TABLE} from './module-table';

const isAllowed = (name: string): name is keyof typeof MODULE_TABLE => Object.prototype.hasOwnProperty.call(MODULE_TABLE, name);

// Modules of the lazy kind, once their chunk has loaded on this page.
const loaded = new Map<string, unknown>();

const requireAllowed = (name: string): unknown => {
	if (!isAllowed(name)) {
		// The compiler already rejects these; this guards against hand-made props.
		throw new Error(`Cannot import "${name}" in a framefarm render`);
	}
	const source = MODULE_TABLE[name];
	if ('module' in source) {
		return source.module;
	}
	if (!loaded.has(name)) {
		throw new Error(`"${name}" is loaded only for code that imports it at the top of the module`);
	}
	return loaded.get(name);
};

/**
 * The lazily bundled modules a module produced by compileCode() requires that this page has not
 * loaded yet. The compiler keeps only the imports the code uses, each as `require("name")`.
 */
export const modulesToLoad = (js: string): string[] => {
	const required = new Set([...js.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!));
	return [...required].filter((name) => isAllowed(name) && 'load' in MODULE_TABLE[name] && !loaded.has(name));
};

export const loadModules = async (names: string[]): Promise<void> => {
	await Promise.all(
		names.map(async (name) => {
			const source = isAllowed(name) ? MODULE_TABLE[name] : null;
			if (source !== null && 'load' in source) {
				loaded.set(name, await source.load());
			}
		}),
	);
};

/** Evaluates a module produced by compileCode() and returns its component. */
export const loadComponent = (js: string, exportName: string): React.ComponentType => {
	const module: {exports: Record<string, unknown>} = {exports: {}};
	// eslint-disable-next-line no-new-func
	const evaluate = new Function('require', 'module', 'exports', js);
	evaluate(requireAllowed, module, module.exports);
	const component = module.exports[exportName];
	const isComponent =
		typeof component === 'function' || (typeof component === 'object' && component !== null && '$$typeof' in component);
	if (!isComponent) {
		throw new Error(`The export "${exportName}" of inputProps.code is not a React component (it is ${typeof component}).`);
	}
	return component as React.ComponentType;
};
