// The modules user code may import. The compiler rejects anything else; the site maps each
// name to the copy bundled into it (a lookup typed over this union, so the two cannot drift).
// This file must stay free of imports: it is read by Node and bundled into the browser.

export const ALLOWED_MODULES = [
	'react',
	'react/jsx-runtime',
	'remotion',
	'@remotion/shapes',
	'@remotion/transitions',
	'@remotion/transitions/fade',
	'@remotion/transitions/slide',
	'@remotion/transitions/wipe',
	'@remotion/transitions/flip',
	'@remotion/transitions/clock-wipe',
	'@remotion/transitions/iris',
	'@remotion/transitions/none',
	'@remotion/lottie',
	'@remotion/three',
	'@react-three/fiber',
	'three',
] as const;

export type AllowedModule = (typeof ALLOWED_MODULES)[number];

export const isAllowedModule = (name: string): name is AllowedModule =>
	(ALLOWED_MODULES as readonly string[]).includes(name);
