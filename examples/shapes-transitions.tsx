import React from 'react';
import {AbsoluteFill, interpolate, useCurrentFrame, useVideoConfig} from 'remotion';
import {Circle, Star, Triangle} from '@remotion/shapes';
import {TransitionSeries, linearTiming} from '@remotion/transitions';
import {fade} from '@remotion/transitions/fade';
import {slide} from '@remotion/transitions/slide';

const Scene: React.FC<{background: string; children: React.ReactNode}> = ({background, children}) => {
	const frame = useCurrentFrame();
	return (
		<AbsoluteFill style={{background, justifyContent: 'center', alignItems: 'center'}}>
			<div style={{transform: `rotate(${frame * 3}deg)`}}>{children}</div>
		</AbsoluteFill>
	);
};

// Three shapes, joined by a fade and a slide. Scene lengths follow the video's duration.
export default function ShapesAndTransitions() {
	const {durationInFrames, height} = useVideoConfig();
	const transition = Math.max(1, Math.floor(durationInFrames / 9));
	const scene = Math.ceil((durationInFrames + 2 * transition) / 3);
	const size = height / 4;
	const frame = useCurrentFrame();
	const pulse = interpolate(Math.sin(frame / 5), [-1, 1], [0.8, 1.1]);

	return (
		<TransitionSeries>
			<TransitionSeries.Sequence durationInFrames={scene}>
				<Scene background="#0b3d91">
					<Circle radius={size * pulse} fill="#ffd166" />
				</Scene>
			</TransitionSeries.Sequence>
			<TransitionSeries.Transition presentation={fade()} timing={linearTiming({durationInFrames: transition})} />
			<TransitionSeries.Sequence durationInFrames={scene}>
				<Scene background="#118ab2">
					<Star points={5} innerRadius={size / 2} outerRadius={size} fill="#ef476f" />
				</Scene>
			</TransitionSeries.Sequence>
			<TransitionSeries.Transition
				presentation={slide({direction: 'from-right'})}
				timing={linearTiming({durationInFrames: transition})}
			/>
			<TransitionSeries.Sequence durationInFrames={scene}>
				<Scene background="#06d6a0">
					<Triangle length={size * 2} direction="up" fill="#073b4c" />
				</Scene>
			</TransitionSeries.Sequence>
		</TransitionSeries>
	);
}
