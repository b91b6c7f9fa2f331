import React, {useMemo} from 'react';
import {AbsoluteFill} from 'remotion';
import type {DynamicCodeProps} from '../code/dynamic-code-props';
import {loadComponent} from './load-component';

export const DynamicCode: React.FC<DynamicCodeProps> = ({js, exportName}) => {
	const Component = useMemo(() => loadComponent(js, exportName), [js, exportName]);
	return (
		<AbsoluteFill>
			<Component />
		</AbsoluteFill>
	);
};
