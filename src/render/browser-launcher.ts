import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Chromium flags framefarm adds to Remotion's: one renderer process per browser. A chunk's
 * new tab then joins the renderer process the earlier tabs used, which stays up, where each tab
 * used to start one of its own (200 ms before the page could load, on these machines). Unlike
 * --single-process (as Remotion Lambda runs Chromium), what closed tabs leave is not kept: over
 * 200 chunks a browser's processes stayed between 280 and 520 MB together.
 */
export const RENDER_FLAGS: readonly string[] = ['--renderer-process-limit=1'];

const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * A folder for launchers that only this user can write to, so that no one else can put a script
 * of theirs in place of one: the user's own under the temp dir, or, when that name is taken by
 * something else, a new one (mkdtemp).
 */
const launcherDir = (): string => {
	const uid = process.getuid?.() ?? 0;
	const dir = path.join(os.tmpdir(), `framefarm-browser-${uid}`);
	try {
		fs.mkdirSync(dir, {mode: 0o700});
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw err;
		}
	}
	// Anyone may create names in the temp dir: take the folder only if it is ours and closed to others.
	const stat = fs.lstatSync(dir);
	return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o077) === 0 ? dir : fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-browser-'));
};

/**
 * Remotion starts the browser in a session of its own, and on Linux a new session is a new
 * scheduling group (autogroup) that competes with the others as a whole, at nice 0, whatever its
 * processes' nice values. `framefarm serve` renders at nice 19 so that the API goes first; its four
 * browsers, in groups of their own, got as much CPU as the API's group each, and a progress poll
 * waited 30-40 ms for a core. The launcher gives the browser's group the nice value it was started
 * at. (Lowering a group's priority is allowed to its own processes; where there are no autogroups
 * there is no file, and nothing happens.)
 */
const KEEP_NICE = '{ echo "$(nice)" > /proc/self/autogroup; } 2>/dev/null';

/**
 * Remotion starts each browser detached, in a session and process group of its own, so a browser
 * outlives a process that dies without closing it (SIGKILL, the OOM killer, a crash): after a few
 * such deaths, dozens of orphaned browsers kept taking CPU from the renders. A parent-death
 * signal is not enough: Debian's /usr/bin/chromium-headless-shell is a script that runs the real
 * browser as its child. So the launcher leaves a watchdog in the browser's process group: once a
 * second it checks that the process that started the browser, and the process Remotion knows as
 * the browser (the launcher, then Debian's script), are alive. When either is gone, it kills the
 * whole group (the real browser, its renderers, its GPU process, and itself; the browser alone
 * where it leads no group of its own). Remotion's exit handler kills only the process it started,
 * the script: a serve stopped by a second SIGTERM left the real browsers running, as its children,
 * until the group was killed too. It holds none of the browser's pipes.
 */
const WATCHDOG = `( parent=$PPID; browser=$$; while kill -0 "$parent" && kill -0 "$browser"; do sleep 1; done; kill -KILL "-$browser" || kill -KILL "$browser" ) </dev/null >/dev/null 2>&1 &`;

/**
 * Remotion's openBrowser() takes no Chromium flags of the caller's, so a launcher script stands
 * in for the browser: it runs the real executable with Remotion's arguments and then ours. One
 * script per executable and flags, kept in launcherDir(). Elsewhere than Linux and macOS the
 * browser starts as Remotion starts it.
 */
export const browserLauncher = (executable: string, flags: readonly string[] = RENDER_FLAGS): string => {
	if (process.platform !== 'linux' && process.platform !== 'darwin') {
		return executable;
	}
	const lines = ['#!/bin/sh', ...(process.platform === 'linux' ? [KEEP_NICE] : []), WATCHDOG, `exec ${shellQuote(executable)} "$@" ${flags.map(shellQuote).join(' ')}`];
	const script = `${lines.join('\n')}\n`;
	const dir = launcherDir();
	const file = path.join(dir, `chromium-${crypto.createHash('sha256').update(script).digest('hex').slice(0, 16)}`);
	if (!fs.existsSync(file)) {
		// Written aside and renamed: a browser never starts from half a script.
		const staging = path.join(dir, `.${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
		fs.writeFileSync(staging, script, {mode: 0o755});
		fs.renameSync(staging, file);
	}
	return file;
};
