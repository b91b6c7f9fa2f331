import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcessByStdio} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {describe, it} from 'node:test';
import {browserLauncher} from '../src/render/browser-launcher.js';
import {isRunning, makeTempDir, sleep, waitFor} from './helpers.js';

/**
 * Writes a stand-in browser script and starts it through the launcher, detached (in a session of
 * its own) as Remotion starts a browser, from a shell that stays as its parent: that shell, and
 * the launched process's PID.
 */
const launchDetached = async (fake: string, script: string): Promise<{parent: ChildProcessByStdio<null, Readable, null>; pid: number}> => {
	fs.writeFileSync(fake, script, {mode: 0o755});
	const parent = spawn('sh', ['-c', `setsid "${browserLauncher(fake, ['--x'])}" & echo $!; wait`], {stdio: ['ignore', 'pipe', 'ignore']});
	const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))));
	return {parent, pid};
};

describe('browser launcher', () => {
	it('runs the executable with the arguments it is given, then framefarm’s flags', () => {
		const dir = makeTempDir();
		try {
			// A stand-in browser at an awkward path, printing one argument a line.
			const fake = path.join(dir, "it's a browser");
			fs.writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', {mode: 0o755});
			const launcher = browserLauncher(fake, ['--renderer-process-limit=1', '--flag with space']);
			const printed = execFileSync(launcher, ['--headless=old', 'about:blank', '$HOME'], {encoding: 'utf8'});
			assert.deepEqual(printed.trim().split('\n'), ['--headless=old', 'about:blank', '$HOME', '--renderer-process-limit=1', '--flag with space']);
			assert.equal(browserLauncher(fake, ['--renderer-process-limit=1', '--flag with space']), launcher, 'written once');
			// A temp-dir cleaner may remove it while a worker runs: the next browser to open writes it again.
			fs.rmSync(path.dirname(launcher), {recursive: true});
			assert.equal(browserLauncher(fake, ['--renderer-process-limit=1', '--flag with space']), launcher);
			assert.ok(fs.existsSync(launcher));
			assert.equal(fs.statSync(path.dirname(launcher)).mode & 0o777, 0o700, 'in a folder only this user may write to');
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('starts a browser that dies with the process that started it, even by SIGKILL', async (t) => {
		if (process.platform !== 'linux') {
			t.skip('parent-death signals are Linux only');
			return;
		}
		const dir = makeTempDir();
		try {
			// A stand-in browser that would run for five minutes, with a process of its own (as
			// Debian's wrapper script runs the real browser), started as Remotion starts one: detached.
			const {parent, pid: browserPid} = await launchDetached(path.join(dir, 'long-browser'), '#!/bin/sh\nsleep 301 &\necho $! > "$(dirname "$0")/helper-pid"\nexec sleep 300\n');
			await sleep(300);
			const helperPid = Number(fs.readFileSync(path.join(dir, 'helper-pid'), 'utf8'));
			assert.ok(isRunning(browserPid) && isRunning(helperPid), 'the browser runs');
			parent.kill('SIGKILL');
			await waitFor('the browser and its processes to die with its parent', async () => (isRunning(browserPid) || isRunning(helperPid) ? null : true), 5000);
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('takes the real browser down when the process Remotion started (Debian’s wrapper script) is killed', async (t) => {
		if (process.platform !== 'linux') {
			t.skip('process groups as on Linux');
			return;
		}
		const dir = makeTempDir();
		try {
			// As Debian's wrapper: the real browser is its child, not exec'd. Remotion's exit handler
			// SIGKILLs the wrapper alone; its parent may be alive a moment longer, or be gone already.
			const {parent, pid: wrapperPid} = await launchDetached(path.join(dir, 'wrapper-browser'), '#!/bin/sh\nsleep 301 &\necho $! > "$(dirname "$0")/real-pid"\nwait\n');
			await waitFor('the real browser', async () => (fs.existsSync(path.join(dir, 'real-pid')) ? true : null), 5000);
			const realPid = Number(fs.readFileSync(path.join(dir, 'real-pid'), 'utf8'));
			assert.ok(isRunning(realPid), 'the real browser runs');
			process.kill(wrapperPid, 'SIGKILL');
			await waitFor('the real browser to go with its wrapper', async () => (isRunning(realPid) ? null : true), 5000);
			parent.kill('SIGKILL');
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});

	it('does not use a folder of its name that others may write to', () => {
		const tmp = makeTempDir();
		const before = process.env.TMPDIR;
		process.env.TMPDIR = tmp;
		try {
			const squatted = path.join(tmp, `framefarm-browser-${process.getuid?.() ?? 0}`);
			fs.mkdirSync(squatted, {mode: 0o777});
			fs.chmodSync(squatted, 0o777);
			const launcher = browserLauncher('/bin/true', ['--x']);
			assert.notEqual(path.dirname(launcher), squatted);
			assert.ok(launcher.startsWith(path.join(tmp, 'framefarm-browser-')));
			assert.equal(fs.statSync(path.dirname(launcher)).mode & 0o777, 0o700);
		} finally {
			if (before === undefined) {
				delete process.env.TMPDIR;
			} else {
				process.env.TMPDIR = before;
			}
			fs.rmSync(tmp, {recursive: true, force: true});
		}
	});

	it('gives the browser’s scheduling group the nice value it was started at (Linux autogroups)', async (t) => {
		if (!fs.existsSync('/proc/self/autogroup')) {
			t.skip('this kernel has no autogroups');
			return;
		}
		const launcher = browserLauncher('/bin/cat', []);
		// As Remotion starts the browser: in a session, and so a scheduling group, of its own.
		const child = spawn('nice', ['-n', '7', launcher, '/proc/self/autogroup'], {detached: true, stdio: ['ignore', 'pipe', 'inherit']});
		let printed = '';
		child.stdout.on('data', (data: Buffer) => (printed += data.toString()));
		await new Promise((resolve) => child.once('close', resolve));
		const own = fs.readFileSync('/proc/self/autogroup', 'utf8');
		assert.match(printed, /^\/autogroup-\d+ nice 7$/m);
		assert.notEqual(printed.split(' ')[0], own.split(' ')[0], 'a group of its own');
	});
});
