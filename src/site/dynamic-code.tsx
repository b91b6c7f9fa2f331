import React, {useEffect, useMemo, useState} from 'react';
import {AbsoluteFill, cancelRender, continueRender, delayRender} from 'remotion';
import type {DynamicCodeProps} from '../code/dynamic-code-props';
import {loadComponent, loadModules, modulesToLoad} from './load-component';

export const DynamicCode: React.FC<DynamicCodeProps> = ({js, exportName}) => {
	// Code that needs three.js or Lottie holds the first frame until their chunks have loaded.
	const [loading] = useState(() => {
		const names = modulesToLoad(js);
		return names.length === 0 ? null : {handle: delayRender(`Loading ${names.join(', ')}`), done: loadModules(names)};
	});
	const [ready, setReady] = useState(loading === null);
	useEffect(() => {
		loading?.done.then(() => setReady(true), (err: unknown) => cancelRender(err));
	}, [loading]);
	const Component = useMemo(() => (ready ? loadComponent(js, exportName) : null), [ready, js, exportName]);
	useEffect(() => {
		if (ready && loading !== null) {
			continueRender(loading.handle);
		}
	}, [ready, loading]);
	return <AbsoluteFill>{Component === null ? null : <Component />}</AbsoluteFill>;
};
