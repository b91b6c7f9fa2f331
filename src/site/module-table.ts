import * as React from 'react';
import * as JsxRuntime from 'react/jsx-runtime';
import * as Remotion from 'remotion';
import * as Shapes from '@remotion/shapes';
import * as Transitions from '@remotion/transitions';
import * as Fade from '@remotion/transitions/fade';
import * as Slide from '@remotion/transitions/slide';
import * as Wipe from '@remotion/transitions/wipe';
import * as Flip from '@remotion/transitions/flip';
import * as ClockWipe from '@remotion/transitions/clock-wipe';
import * as Iris from '@remotion/transitions/iris';
import * as None from '@remotion/transitions/none';
import type {AllowedModule} from '../code/allowed-modules';

export type ModuleSource = {module: unknown} | {load: () => Promise<unknown>};

// Every allowed module, as bundled into this site. Typed over the union, so adding a module to
// ALLOWED_MODULES fails to compile until it is also bundled here. three.js, react-three-fiber and
// Lottie are two thirds of the bundle: they are split into chunks of their own, which a page loads
// only when the code it renders requires them (a page evaluates 1.4 MB instead of 4.5 MB).
export const MODULE_TABLE: {[name in AllowedModule]: ModuleSource} = {
	react: {module: React},
	'react/jsx-runtime': {module: JsxRuntime},
	remotion: {module: Remotion},
	'@remotion/shapes': {module: Shapes},
	'@remotion/transitions': {module: Transitions},
	'@remotion/transitions/fade': {module: Fade},
	'@remotion/transitions/slide': {module: Slide},
	'@remotion/transitions/wipe': {module: Wipe},
	'@remotion/transitions/flip': {module: Flip},
	'@remotion/transitions/clock-wipe': {module: ClockWipe},
	'@remotion/transitions/iris': {module: Iris},
	'@remotion/transitions/none': {module: None},
	'@remotion/lottie': {load: () => import('@remotion/lottie')},
	'@remotion/three': {load: () => import('@remotion/three')},
	'@react-three/fiber': {load: () => import('@react-three/fiber')},
	three: {load: () => import('three')},
};
