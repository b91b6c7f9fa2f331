import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {renderMedia} from '@remotion/renderer';
import {compileCode} from '../src/code/compile-code.js';
import type {DynamicCodeProps} from '../src/code/dynamic-code-props.js';
import {dynamicComposition} from '../src/render/dynamic-composition.js';
import type {BrowserChoice} from '../src/render/find-browser.js';
import type {Reference} from './compositions.js';

/**
 * Plain Remotion: one renderMedia() call on the same bundle and composition, as a script that
 * uses Remotion directly would make it (it opens its own browser), with the same browser binary
 * and Remotion's default GL, as the farm.
 */
export const renderPlain = async ({
	reference,
	serveUrl,
	browser,
	concurrency,
	frames,
}: {
	reference: Reference;
	serveUrl: string;
	browser: BrowserChoice;
	concurrency: number;
	/** Render only the first N frames (to calibrate concurrency). */
	frames?: number;
}): Promise<{wallMs: number; size: number}> => {
	const compiled = await compileCode(reference.code);
	const props: DynamicCodeProps = {
		js: compiled.js,
		exportName: compiled.exportName,
		durationInFrames: reference.durationInFrames,
		fps: reference.fps,
		width: reference.width,
		height: reference.height,
	};
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-plain-')), 'out.mp4');
	const startedAt = Date.now();
	try {
		await renderMedia({
			serveUrl,
			composition: dynamicComposition(props),
			inputProps: props,
			codec: 'h264',
			outputLocation: out,
			concurrency,
			frameRange: frames === undefined ? null : [0, frames - 1],
			browserExecutable: browser.executable,
			chromeMode: browser.chromeMode,
			logLevel: 'error',
		});
		return {wallMs: Date.now() - startedAt, size: fs.statSync(out).size};
	} finally {
		fs.rmSync(path.dirname(out), {recursive: true, force: true});
	}
};
