// The props of the DynamicCode composition. The server compiles `inputProps.code` and passes the
// result here; the page never sees TSX. No imports: this file is shared with the bundled site.

export type DynamicCodeProps = {
	/** CommonJS module text produced by compileCode(). */
	js: string;
	/** Which export of that module is the component. */
	exportName: string;
	durationInFrames: number;
	fps: number;
	width: number;
	height: number;
};

export const COMPOSITION_ID = 'DynamicCode';
