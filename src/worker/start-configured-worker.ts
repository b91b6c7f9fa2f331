import {renderLimits, type Config} from '../config/load-config.js';
import {bundleSite} from '../render/bundle-site.js';
import {findBrowser} from '../render/find-browser.js';
import {hugePageAdvice, measurePageFaultMicros, transparentHugePages} from '../render/page-fault-cost.js';
import {startWorker, type Worker} from './start-worker.js';

type Parts = Pick<Parameters<typeof startWorker>[0], 'backend' | 'storage' | 'slots' | 'log' | 'metrics'>;

/**
 * A worker of `framefarm worker` or of serve's render thread: the built-in site bundled (once per
 * version), the configured browser, render limits and allowed origins. Null when `stopping()` says
 * so once the site and browser are ready (a stop during start-up opens no browser).
 */
export const startConfiguredWorker = async (config: Config, parts: Parts, stopping: () => boolean = () => false): Promise<Worker | null> => {
	const [siteDir, browser] = await Promise.all([bundleSite({cacheDir: config.cacheDir}), findBrowser(config.browserExecutable)]);
	if (stopping()) {
		return null;
	}
	// Measured before any browser opens, so nothing else is faulting beside it.
	const advice = hugePageAdvice(transparentHugePages(), measurePageFaultMicros);
	if (advice !== null) {
		parts.log?.(advice);
	}
	return startWorker({...parts, siteDir, browser, limits: renderLimits(config), allowedOrigins: config.allowedOrigins});
};
