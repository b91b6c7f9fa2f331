// Names a bare component body may use without importing them. esbuild's `inject` turns each
// free use of one of these identifiers into an import; a name the code declares itself is left
// alone, so user code can still define its own `Circle`.
// Kept as a TypeScript module so `tsc` checks that every re-export exists.
// The namespaces are imported, then exported: esbuild keeps an `export * as` of an external module
// even where the code never uses it, and the page would load three.js for every render.
import * as Remotion from 'remotion';
import * as THREE from 'three';

export {
	default as React,
	useState,
	useEffect,
	useMemo,
	useRef,
	useCallback,
	useLayoutEffect,
	Fragment,
} from 'react';
export {
	AbsoluteFill,
	interpolate,
	interpolateColors,
	spring,
	Sequence,
	Series,
	Easing,
	Img,
	random,
	useCurrentFrame,
	useVideoConfig,
} from 'remotion';
export {Remotion};
export {
	Rect,
	Circle,
	Triangle,
	Star,
	Polygon,
	Ellipse,
	Heart,
	Pie,
	makeRect,
	makeCircle,
	makeTriangle,
	makeStar,
	makePolygon,
	makeEllipse,
	makeHeart,
	makePie,
} from '@remotion/shapes';
export {TransitionSeries, linearTiming, springTiming} from '@remotion/transitions';
export {ThreeCanvas} from '@remotion/three';
export {THREE};
export {Lottie} from '@remotion/lottie';
