import rotatingCube from '../../examples/rotating-cube.tsx?raw';
import shapesTransitions from '../../examples/shapes-transitions.tsx?raw';
import titleCard from '../../examples/title-card.tsx?raw';

// The README's examples, to start from.
export const EXAMPLES: {name: string; code: string}[] = [
	{name: 'Title card', code: titleCard},
	{name: 'Shapes and transitions', code: shapesTransitions},
	{name: 'Rotating cube (three.js)', code: rotatingCube},
];
