import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type {BrowserChoice} from '../src/render/find-browser.js';
import {measurePageFaultMicros, transparentHugePages, type HugePages} from '../src/render/page-fault-cost.js';

export type Machine = {
	cpu: string;
	cores: number;
	memoryGb: number;
	os: string;
	node: string;
	browser: string;
	remotion: string;
	/** What a fresh page of memory costs here, and whether huge pages spare it: up to a third of a render on one VM. */
	hugePages: HugePages;
	pageFaultMicros: number;
};

export const describeMachine = (browser: BrowserChoice): Machine => {
	let browserVersion = browser.executable;
	try {
		browserVersion = execFileSync(browser.executable, ['--version'], {encoding: 'utf8'}).trim();
	} catch {
		// Some builds print nothing for --version; the path says enough.
	}
	const remotion = JSON.parse(fs.readFileSync(new URL('../node_modules/@remotion/renderer/package.json', import.meta.url), 'utf8')) as {version: string};
	return {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.availableParallelism(),
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		browser: browserVersion,
		remotion: remotion.version,
		hugePages: transparentHugePages(),
		pageFaultMicros: measurePageFaultMicros(),
	};
};
