import {AbsoluteFill, interpolate, spring, useCurrentFrame, useVideoConfig} from 'remotion';

// A 2D title card: the title springs in, the subtitle fades in, the background drifts.
export const TitleCard = () => {
	const frame = useCurrentFrame();
	const {fps, durationInFrames, width} = useVideoConfig();
	const entrance = spring({frame, fps, config: {damping: 200}});
	const subtitle = interpolate(frame, [fps * 0.5, fps * 1.2], [0, 1], {
		extrapolateLeft: 'clamp',
		extrapolateRight: 'clamp',
	});
	const hue = interpolate(frame, [0, durationInFrames], [210, 260]);

	return (
		<AbsoluteFill
			style={{
				background: `linear-gradient(135deg, hsl(${hue}, 70%, 20%), hsl(${hue + 40}, 70%, 45%))`,
				justifyContent: 'center',
				alignItems: 'center',
				fontFamily: 'sans-serif',
				color: 'white',
			}}
		>
			<div style={{fontSize: width / 12, fontWeight: 800, transform: `scale(${entrance})`}}>framefarm</div>
			<div style={{fontSize: width / 36, opacity: subtitle, marginTop: width / 80}}>
				frame {frame} of {durationInFrames}
			</div>
		</AbsoluteFill>
	);
};
