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
import * as Lottie from '@remotion/lottie';
import * as RemotionThree from '@remotion/three';
import * as Fiber from '@react-three/fiber';
import * as THREE from 'three';
import type {AllowedModule} from '../code/allowed-modules';

// Every allowed module, as bundled into this site. Typed over the union, so adding a module to
// ALLOWED_MODULES fails to compile until it is also bundled here.
export const MODULE_TABLE: {[name in AllowedModule]: unknown} = {
	react: React,
	'react/jsx-runtime': JsxRuntime,
	remotion: Remotion,
	'@remotion/shapes': Shapes,
	'@remotion/transitions': Transitions,
	'@remotion/transitions/fade': Fade,
	'@remotion/transitions/slide': Slide,
	'@remotion/transitions/wipe': Wipe,
	'@remotion/transitions/flip': Flip,
	'@remotion/transitions/clock-wipe': ClockWipe,
	'@remotion/transitions/iris': Iris,
	'@remotion/transitions/none': None,
	'@remotion/lottie': Lottie,
	'@remotion/three': RemotionThree,
	'@react-three/fiber': Fiber,
	three: THREE,
};
