/** The reference compositions the benchmark renders, each as a client would send it. */
export type Reference = {
	name: string;
	description: string;
	code: string;
	width: number;
	height: number;
	durationInFrames: number;
	fps: number;
};

const LIGHT = `
import {AbsoluteFill, interpolate, spring, useCurrentFrame, useVideoConfig} from 'remotion';
export default function Title() {
	const frame = useCurrentFrame();
	const {fps} = useVideoConfig();
	const enter = spring({frame, fps, config: {damping: 200}});
	const words = ['Render', 'farms', 'for', 'motion', 'graphics'];
	return (
		<AbsoluteFill style={{background: '#0b1020', justifyContent: 'center', alignItems: 'center', fontFamily: 'sans-serif'}}>
			<div style={{display: 'flex', gap: 28, transform: \`translateY(\${(1 - enter) * 80}px)\`, opacity: enter}}>
				{words.map((word, i) => (
					<span key={word} style={{color: 'white', fontSize: 110, fontWeight: 800, opacity: interpolate(frame, [i * 8, i * 8 + 20], [0, 1], {extrapolateLeft: 'clamp', extrapolateRight: 'clamp'})}}>{word}</span>
				))}
			</div>
			<div style={{position: 'absolute', bottom: 120, color: '#8ab4f8', fontSize: 48}}>frame {frame}</div>
		</AbsoluteFill>
	);
}`;

const HEAVY = `
import {AbsoluteFill, interpolate, useCurrentFrame} from 'remotion';
export default function Layers() {
	const frame = useCurrentFrame();
	const layers = Array.from({length: 24}, (_, i) => i);
	return (
		<AbsoluteFill style={{background: 'linear-gradient(135deg, #1e1b4b, #831843)'}}>
			{layers.map((i) => {
				const angle = (frame * (1 + (i % 5)) + i * 37) % 360;
				const x = 960 + Math.cos((angle * Math.PI) / 180) * (200 + i * 14);
				const y = 540 + Math.sin((angle * Math.PI) / 180) * (120 + i * 8);
				return (
					<div
						key={i}
						style={{
							position: 'absolute',
							left: x - 90,
							top: y - 90,
							width: 180,
							height: 180,
							borderRadius: i % 2 ? 90 : 24,
							background: \`hsla(\${(i * 23 + frame) % 360}, 80%, 60%, 0.55)\`,
							filter: \`blur(\${2 + (i % 4) * 2}px)\`,
							boxShadow: '0 30px 60px rgba(0,0,0,0.6), 0 0 40px rgba(255,255,255,0.35)',
							transform: \`rotate(\${angle}deg) scale(\${interpolate(Math.sin((frame + i * 9) / 15), [-1, 1], [0.7, 1.3])})\`,
						}}
					/>
				);
			})}
			<AbsoluteFill style={{justifyContent: 'center', alignItems: 'center'}}>
				<div style={{fontSize: 140, fontWeight: 900, color: 'white', textShadow: '0 0 30px #f0f, 0 10px 40px #000', fontFamily: 'sans-serif'}}>HEAVY {frame}</div>
			</AbsoluteFill>
		</AbsoluteFill>
	);
}`;

const LONG = `
import {AbsoluteFill, Sequence, interpolate, useCurrentFrame} from 'remotion';
const Slide = ({index}: {index: number}) => {
	const frame = useCurrentFrame();
	const x = interpolate(frame, [0, 30], [-1280, 0], {extrapolateRight: 'clamp'});
	return (
		<AbsoluteFill style={{background: \`hsl(\${index * 47}, 55%, 35%)\`, transform: \`translateX(\${x}px)\`, justifyContent: 'center', alignItems: 'center'}}>
			<div style={{color: 'white', fontSize: 90, fontFamily: 'sans-serif', fontWeight: 700}}>Chapter {index + 1}</div>
			<div style={{position: 'absolute', bottom: 60, width: (frame / 150) * 1280, left: 0, height: 12, background: 'white'}} />
		</AbsoluteFill>
	);
};
export default function Long() {
	return (
		<AbsoluteFill>
			{Array.from({length: 12}, (_, i) => (
				<Sequence key={i} from={i * 150} durationInFrames={150}>
					<Slide index={i} />
				</Sequence>
			))}
		</AbsoluteFill>
	);
}`;

/** Full sizes, or short versions of the same compositions for --quick. */
export const referenceCompositions = (quick: boolean): Reference[] => [
	{name: 'light', description: 'light 2D text, 1080p', code: LIGHT, width: 1920, height: 1080, durationInFrames: quick ? 90 : 300, fps: 30},
	{name: 'heavy', description: '24 layers with blur and shadows, 1080p', code: HEAVY, width: 1920, height: 1080, durationInFrames: quick ? 60 : 300, fps: 30},
	{name: 'long', description: 'slides, 720p', code: LONG, width: 1280, height: 720, durationInFrames: quick ? 300 : 1800, fps: 30},
];

/**
 * For watching only: the light composition small enough that the farm renders it faster than real
 * time on 2 cores, the case where playback at 1x is to run without a stall (issue 20).
 */
export const fasterThanRealTime = (quick: boolean): Reference => ({
	...referenceCompositions(quick)[0]!,
	name: 'light small',
	description: 'light 2D text, 360p',
	width: 640,
	height: 360,
});
