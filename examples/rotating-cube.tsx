import {AbsoluteFill, useCurrentFrame, useVideoConfig} from 'remotion';
import {ThreeCanvas} from '@remotion/three';

// A lit cube turning on two axes, rendered with WebGL (SwiftShader in the headless shell).
export const RotatingCube = () => {
	const frame = useCurrentFrame();
	const {width, height, fps} = useVideoConfig();
	const angle = (frame / fps) * Math.PI;

	return (
		<AbsoluteFill style={{backgroundColor: '#101820'}}>
			<ThreeCanvas width={width} height={height} camera={{position: [0, 0, 4], fov: 50}}>
				<ambientLight intensity={0.4} />
				<directionalLight position={[3, 3, 5]} intensity={1.2} />
				<mesh rotation={[angle * 0.6, angle, 0]}>
					<boxGeometry args={[1.5, 1.5, 1.5]} />
					<meshStandardMaterial color="#1e90ff" />
				</mesh>
			</ThreeCanvas>
		</AbsoluteFill>
	);
};
