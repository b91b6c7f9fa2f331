import fs from 'node:fs';
import os from 'node:os';

/**
 * Where the API and the renders share a machine (`framefarm serve`), the API comes first: a
 * progress poll needs a millisecond of CPU, and it waited seconds behind the browsers and x264.
 * The render thread, and with it every process it starts (Chromium, ffmpeg, the compositor),
 * runs at RENDER_NICE. The API thread takes API_NICE where that is allowed (root or
 * CAP_SYS_NICE): there Chromium sets its busiest threads to -8 itself, whatever it was started at.
 */
export const RENDER_NICE = 10;
export const API_NICE = -10;

/** The kernel's id of the calling thread, on Linux; null elsewhere. */
const currentThreadId = (): number | null => {
	try {
		return Number(fs.readlinkSync('/proc/thread-self').split('/').at(-1));
	} catch {
		return null;
	}
};

/**
 * Sets the calling thread's nice value. On Linux a nice value belongs to a thread, not to the
 * process, and a process started from the thread takes the thread's. False where it cannot be
 * done: another OS, or a value below the current one without the privilege.
 */
export const setThreadNice = (value: number): boolean => {
	const threadId = currentThreadId();
	if (threadId === null) {
		return false;
	}
	try {
		os.setPriority(threadId, value);
		return true;
	} catch {
		return false;
	}
};
