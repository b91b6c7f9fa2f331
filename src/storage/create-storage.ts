import path from 'node:path';
import {checkStorageCredentials} from '../config/check-storage-credentials.js';
import type {Config} from '../config/load-config.js';
import {createLocalStorage} from './create-local-storage.js';
import {createS3Storage} from './create-s3-storage.js';
import type {Storage} from './storage.js';

export type ConfiguredStorage = {
	storage: Storage;
	/** The local bucket folder, which the API serves itself; null for S3. */
	localRoot: string | null;
	/** Why renders cannot be stored, in the app's words (missing credentials), or null. */
	problem: string | null;
};

/** The bucket the configuration asks for: S3 when FRAMEFARM_S3_BUCKET is set, else the data dir's folder. */
export const createStorage = (config: Config, publicUrl: () => string): ConfiguredStorage => {
	if (config.s3 === null) {
		const root = path.join(config.dataDir, 'bucket');
		return {storage: createLocalStorage({root, bucketName: config.bucketName, publicUrl: () => `${publicUrl()}/files`}), localRoot: root, problem: null};
	}
	const {accessKeyId, secretAccessKey} = config.storageCredentials;
	const problem = checkStorageCredentials(config.storageCredentials);
	return {
		storage: createS3Storage({
			...config.s3,
			credentials: accessKeyId !== null && secretAccessKey !== null ? {accessKeyId, secretAccessKey} : null,
			publicUrl,
		}),
		localRoot: null,
		problem,
	};
};
