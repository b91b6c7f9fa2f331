import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {probeVideo} from '../src/render/probe-video.js';
import {makeTempDir, readExample, runCli} from './helpers.js';

let dir: string;
before(() => {
	dir = makeTempDir();
});
after(() => fs.rmSync(dir, {recursive: true, force: true}));

const SMALL = ['--duration-in-frames', '60', '--fps', '30', '--width', '320', '--height', '180', '--frames-per-chunk', '20'];

describe('framefarm render', () => {
	it('renders an example file to the requested MP4 and reports path, size and time', async () => {
		const out = path.join(dir, 'title.mp4');
		const result = await runCli(['render', 'examples/title-card.tsx', ...SMALL, '--out', out]);
		assert.equal(result.code, 0, result.stderr);
		const probe = await probeVideo(out);
		assert.equal(probe.video?.frames, 60);
		assert.equal(probe.video?.width, 320);
		assert.equal(probe.video?.height, 180);
		assert.equal(probe.video?.durationInSeconds, 2);
		assert.ok(probe.audio !== null);
		const size = fs.statSync(out).size;
		assert.match(result.stdout, new RegExp(`${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*\\(${size} bytes\\) +rendered in \\d+\\.\\ds`));
		// Not a terminal here, so the bar prints one line per step.
		assert.match(result.stderr, /Rendering .*\d+\/60 frames, \d\/3 chunks/);
		assert.match(result.stderr, /Stitching .*100% 60\/60 frames/);
	});

	it('renders a bare component body read from stdin', async () => {
		const out = path.join(dir, 'stdin.mp4');
		const result = await runCli(['render', '-', ...SMALL, '--out', out], {stdin: readExample('bare-body.txt')});
		assert.equal(result.code, 0, result.stderr);
		const probe = await probeVideo(out);
		assert.equal(probe.video?.frames, 60);
		assert.equal(probe.video?.durationInSeconds, 2);
	});

	// A browser that cannot start: these must fail before anything needs one.
	const noBrowser = {FRAMEFARM_BROWSER_EXECUTABLE: '/nonexistent/chromium'};
	for (const [what, code, expected] of [
		['a prose prompt', 'Create a rotating 3D cube with blue color', /does not compile \(line 1, column \d+\).*text prompt rather than code/],
		['a syntax error', 'export const A = () => <div>;\n', /does not compile \(line 2, column 1\)/],
		['a module without a component', 'export const speed = 3;\n', /defines no component/],
		["import fs from 'fs'", "import fs from 'fs';\nexport default () => <div>{fs.readFileSync('/etc/passwd', 'utf8')}</div>;", /Cannot import "fs"/],
	] as const) {
		it(`fails fast on ${what}, without a browser`, async () => {
			const out = path.join(dir, 'never.mp4');
			const result = await runCli(['render', '-', ...SMALL, '--out', out], {stdin: code, env: noBrowser});
			assert.equal(result.code, 1);
			assert.match(result.stderr, expected);
			assert.doesNotMatch(result.stderr, /nonexistent|    at /, 'no browser error and no stack trace');
			assert.ok(result.milliseconds < 10_000, `took ${result.milliseconds} ms`);
			assert.ok(!fs.existsSync(out));
		});
	}

	for (const [flags, expected] of [
		[['--fps', 'fast'], /--fps must be a number, got "fast"/],
		[['--width', '321'], /--width must be even/],
		[['--duration-in-frames', '0'], /--duration-in-frames must be at least 1/],
		[['--bogus'], /Unknown option '--bogus'/],
	] as const) {
		it(`rejects ${flags.join(' ')} with a message naming the flag`, async () => {
			const result = await runCli(['render', 'examples/title-card.tsx', ...flags], {env: noBrowser});
			assert.equal(result.code, 1);
			assert.match(result.stderr, expected);
		});
	}

	it('names a missing file', async () => {
		const result = await runCli(['render', 'examples/missing.tsx']);
		assert.equal(result.code, 1);
		assert.match(result.stderr, /examples\/missing\.tsx/);
	});
});
