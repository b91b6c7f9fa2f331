import type React from 'react';
import {MODULE_TABLE} from './module-table';

const requireAllowed = (name: string): unknown => {
	if (!Object.prototype.hasOwnProperty.call(MODULE_TABLE, name)) {
		// The compiler already rejects these; this guards against hand-made props.
		throw new Error(`Cannot import "${name}" in a framefarm render`);
	}
	return MODULE_TABLE[name as keyof typeof MODULE_TABLE];
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
