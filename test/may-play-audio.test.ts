import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {compileCode} from '../src/code/compile-code.js';
import {mayPlayAudio} from '../src/render/may-play-audio.js';

const codeRender = async (code: string) => ({site: {kind: 'builtin' as const}, inputProps: {js: (await compileCode(code)).js}});

describe('which renders may play audio (their live segments need padded audio)', () => {
	it('a code render that uses one of Remotion\'s audio or video elements, by any name it imports it as', async () => {
		for (const code of [
			"import {Audio} from 'remotion'; export default () => <Audio src='https://example.com/a.mp3' />;",
			"import {Html5Audio as Sound} from 'remotion'; export default () => <Sound src='a.mp3' />;",
			"import {OffthreadVideo} from 'remotion'; export default () => <OffthreadVideo src='a.mp4' />;",
			"import * as R from 'remotion'; export default () => <R.Video src='a.mp4' />;",
			"return <Remotion.Html5Video src='a.mp4' />;",
		]) {
			assert.equal(mayPlayAudio(await codeRender(code)), true, code);
		}
	});

	it('not a code render that uses none, useVideoConfig included', async () => {
		for (const code of [
			"import {AbsoluteFill, useVideoConfig} from 'remotion'; export default () => { const {fps} = useVideoConfig(); return <AbsoluteFill>{fps}</AbsoluteFill>; };",
			'return <AbsoluteFill style={{background: "red"}} />;',
		]) {
			assert.equal(mayPlayAudio(await codeRender(code)), false, code);
		}
	});

	it('a deployed site, always', () => {
		assert.equal(mayPlayAudio({site: {kind: 'deployed', owner: 'k', name: 'promo', hash: 'h'}, inputProps: {}}), true);
	});
});
