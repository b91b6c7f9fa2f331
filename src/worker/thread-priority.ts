import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the API and the renders share a machine (`framefarm serve`), the API comes first: a
 * progress poll needs a millisecond of CPU, and it waited seconds behind the browsers and x264.
 * Where Linux allows it (root or CAP_SYS_NICE), the API thread takes the real-time class
 * (setThreadRealtime), which puts it before any render at any nice value, and the renders keep the
 * normal class. Elsewhere the API thread takes API_NICE where it may, and the render thread, and with
 * it every process it starts (Chromium, ffmpeg, the compositor), runs at RENDER_NICE and in the idle
 * class (setThreadIdle): Chromium started by root sets its busiest threads to -8 itself, whatever it
 * was started at.
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
 * progress poll under load waited up to 0.9 s (p99) behind those threads. False where it cannot be done.
 */
export const setThreadIdle = (): boolean => chrtThisThread(['--idle', '--pid', '0']);

/**
 * Puts the calling thread in Linux's SCHED_RR class at the lowest real-time priority: it takes a
 * core from any thread of the normal and idle classes the moment it wakes, so a progress poll waits
 * for no render, whatever the renders' priority. With SCHED_RESET_ON_FORK, every thread and process
 * it starts from then on (the render thread, Chromium, ffmpeg) begins in the normal class at nice 0,
 * as if it had not been raised. Root or CAP_SYS_NICE (or an RLIMIT_RTPRIO); false where it cannot be
 * done, and where a cgroup grants real-time threads no runtime.
 */
export const setThreadRealtime = (): boolean => chrtThisThread(['--rr', '--reset-on-fork', '--pid', '1']);

// The thread is found through /proc/thread-self; `chrt` comes with util-linux.
const chrtThisThread = (args: string[]): boolean => {
	if (process.platform !== 'linux') {
		return false;
	}
	try {
		const threadId = path.basename(fs.readlinkSync('/proc/thread-self'));
		execFileSync('chrt', [...args, threadId], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
};
