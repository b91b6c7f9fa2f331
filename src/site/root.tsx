import React from 'react';
import {Composition, type CalculateMetadataFunction} from 'remotion';
import {COMPOSITION_ID, type DynamicCodeProps} from '../code/dynamic-code-props';
import {DynamicCode} from './dynamic-code';

const defaultProps: DynamicCodeProps = {
	js: 'module.exports = {default: () => null};',
	exportName: 'default',
	durationInFrames: 150,
	fps: 30,
	width: 1920,
	height: 1080,
};

// Duration, fps and size come from the props, as in the prompt-to-motion-graphics app.
const calculateMetadata: CalculateMetadataFunction<DynamicCodeProps> = ({props}) => ({
	durationInFrames: props.durationInFrames,
	fps: props.fps,
	width: props.width,
	height: props.height,
});

export const Root: React.FC = () => (
	<Composition
		id={COMPOSITION_ID}
		component={DynamicCode}
		defaultProps={defaultProps}
		calculateMetadata={calculateMetadata}
		durationInFrames={defaultProps.durationInFrames}
		fps={defaultProps.fps}
		width={defaultProps.width}
		height={defaultProps.height}
	/>
);
