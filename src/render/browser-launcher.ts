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

let launcherDir: string | null = null;

/**
 * Remotion's openBrowser() takes no Chromium flags of the caller's, so a launcher script stands
 * in for the browser: it runs the real executable with Remotion's arguments and then ours. It is
 * written in a folder of this process's own (mkdtemp: only this user may write there, so no one
 * else can put a script of theirs in its place), removed as the process exits. Elsewhere than
 * Linux and macOS the browser starts as Remotion starts it.
 */
export const browserLauncher = (executable: string, flags: readonly string[] = RENDER_FLAGS): string => {
	if (process.platform !== 'linux' && process.platform !== 'darwin') {
		return executable;
	}
	if (launcherDir === null) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framefarm-browser-'));
		process.once('exit', () => fs.rmSync(dir, {recursive: true, force: true}));
		launcherDir = dir;
	}
	const script = `#!/bin/sh\nexec ${shellQuote(executable)} "$@" ${flags.map(shellQuote).join(' ')}\n`;
	const file = path.join(launcherDir, `chromium-${crypto.createHash('sha256').update(script).digest('hex').slice(0, 16)}`);
	if (!fs.existsSync(file)) {
		fs.writeFileSync(file, script, {mode: 0o755});
	}
	return file;
};
