import path from 'node:path';
import {checkStorageCredentials} from '../config/check-storage-credentials.js';
import type {Config} from '../config/load-config.js';
import {createLocalStorage} from './create-local-storage.js';
import {countFailures} from '../metrics/count-failures.js';
import {createS3Storage} from './create-s3-storage.js';
import type {Storage} from './storage.js';

export type ConfiguredStorage = {
	storage: Storage;
	/** Why renders cannot be stored, in the app's words (missing credentials), or null. */
	problem: string | null;
};

/**
 * The bucket the configuration asks for: S3 when FRAMEFARM_S3_BUCKET is set, else the data dir's
 * folder. `fileUrl` makes the API's own URL of a key (signed: see createFileUrlSigner).
 */
export const createStorage = (
	config: Config,
	fileUrl: (key: string, expiresInSeconds?: number) => string,
	/** Told the operation of every call that failed (after the driver's retries): the metrics. */
	onError: (operation: string) => void = () => undefined,
): ConfiguredStorage => {
	if (config.s3 === null) {
		const root = path.join(config.dataDir, 'bucket');
		return {storage: countFailures(createLocalStorage({root, bucketName: config.bucketName, fileUrl, minFreeBytes: config.minFreeDiskMb * 1024 * 1024}), onError), problem: null};
	}
	const {accessKeyId, secretAccessKey} = config.storageCredentials;
	return {
		storage: countFailures(createS3Storage({
			...config.s3,
			credentials: accessKeyId !== null && secretAccessKey !== null ? {accessKeyId, secretAccessKey} : null,
			fileUrl,
			presignExpiresInSeconds: Math.round(config.urlExpiresMs / 1000),
			retryForMs: config.storageRetryMs,
		}), onError),
		problem: checkStorageCredentials(config.storageCredentials),
	};
};
