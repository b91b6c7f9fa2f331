import path from 'node:path';
import {createLocalBackend} from '../src/backend/local/create-local-backend.js';
import type {AppContext} from '../src/server/app-context.js';
import {createAuth} from '../src/server/auth.js';
import {DEFAULT_SUBMIT_LIMITS} from '../src/server/submit-limits.js';
import {createLocalStorage} from '../src/storage/create-local-storage.js';
import {createFileUrlSigner} from '../src/storage/file-url-signer.js';
import {createSiteStore} from '../src/sites/site-store.js';
import {createFarmMetrics} from '../src/metrics/farm-metrics.js';

export const TEST_PUBLIC_URL = 'http://farm.test';

/**
 * What buildApp() needs, for tests that drive routes: SQLite in memory, a local bucket in `dir`,
 * the given keys, URLs signed for TEST_PUBLIC_URL, no browser; anything else given replaces its default.
 */
export const testAppContext = ({dir, keys, ...overrides}: {dir: string; keys: string[]} & Partial<AppContext>): AppContext => {
	const fileUrls = overrides.fileUrls ?? createFileUrlSigner({secret: 'test-url-secret', expiresInSeconds: 3600, baseUrl: () => TEST_PUBLIC_URL});
	const storage = overrides.storage ?? createLocalStorage({root: path.join(dir, 'bucket'), bucketName: 'framefarm-test', fileUrl: fileUrls.url});
	return {
		backend: createLocalBackend({file: ':memory:', maxRenders: 1, chunkRetries: 1}),
		storage,
		sites: createSiteStore(storage),
		// Routes tests open no browser: a site render's composition is given by the test that needs one.
		siteBrowser: {
			resolveComposition: async () => {
				throw new Error('resolveComposition is not set up in this test context');
			},
			listCompositions: async () => {
				throw new Error('listCompositions is not set up in this test context');
			},
			renderStill: async () => {
				throw new Error('renderStill is not set up in this test context');
			},
		},
		authenticate: createAuth(keys),
		publicUrl: TEST_PUBLIC_URL,
		pricing: {pricePerGbSecond: 0.0000166667, memoryGbPerWorker: 2, pricePerInvocation: 0.0000002},
		renderTimeoutMs: 3_600_000,
		defaultFramesPerChunk: 20,
		limits: DEFAULT_SUBMIT_LIMITS,
		rateLimitStore: null,
		allowedWebhookHosts: [],
		renderSlots: null,
		chunkPlan: 'watch',
		fileUrls,
		storageProblem: null,
		metrics: createFarmMetrics(),
		metricsToken: null,
		now: Date.now,
		...overrides,
	};
};
