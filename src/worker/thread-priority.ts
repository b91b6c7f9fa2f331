import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the API and the renders share a machine (`framefarm serve`), the API comes first: a
 * progress poll needs a millisecond of CPU, and it waited seconds behind the browsers and x264.
 * The render thread, and with it every process it starts (Chromium, ffmpeg, the compositor),
 * runs at RENDER_NICE, and in the idle class (setThreadIdle) where Linux allows it. The API
 * thread takes API_NICE where that is allowed (root or CAP_SYS_NICE): Chromium started by root
 * sets its busiest threads to -8 itself, whatever it was started at.
 */
export const RENDER_NICE = 19;
export const API_NICE = -10;

/**
 * Sets the calling thread's nice value. On Linux a nice value belongs to a thread, not to the
 * process (setpriority() of "this process" sets the calling thread), and a process started from
 * the thread takes the thread's. False where it cannot be done: another OS, where the value is the
 * whole process's, the API's too; or a value below the current one without the privilege.
 */
export const setThreadNice = (value: number): boolean => {
	if (process.platform !== 'linux') {
		return false;
	}
	try {
		os.setPriority(value);
		return true;
	} catch {
		return false;
	}
};

/**
 * Puts the calling thread in Linux's SCHED_IDLE class: it runs only when no thread of the normal
 * class wants the core, and a normal thread that wakes takes the core from it at once. Processes
 * started from the thread inherit the class, and Chromium's own setpriority() on its busiest
 * threads (to -8) changes their nice value within the class, not the class. With nice 10 alone, a
 * progress poll under load waited up to 0.9 s (p99) behind those threads. The thread is found
 * through /proc/thread-self; `chrt` comes with util-linux. False where it cannot be done.
 */
export const setThreadIdle = (): boolean => {
	if (process.platform !== 'linux') {
		return false;
	}
	try {
		const threadId = path.basename(fs.readlinkSync('/proc/thread-self'));
		execFileSync('chrt', ['--idle', '--pid', '0', threadId], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
};
