import fs from 'node:fs';
import {pipeline} from 'node:stream/promises';
import type {Readable} from 'node:stream';
import {
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	S3Client,
	type S3ServiceException,
} from '@aws-sdk/client-s3';
import {Upload} from '@aws-sdk/lib-storage';
import {getSignedUrl} from '@aws-sdk/s3-request-presigner';
import {checkKey} from './check-key.js';
import {retryStorageCall} from './retry-storage-call.js';
import type {Storage, StoredObject} from './storage.js';

export type S3StorageOptions = {
	bucket: string;
	region: string;
	/** MinIO, R2, a test server...; null for AWS S3 itself. */
	endpoint: string | null;
	forcePathStyle: boolean;
	credentials: {accessKeyId: string; secretAccessKey: string} | null;
	/** 'presigned': clients fetch from the bucket; 'api': through this API's /files/ route. */
	urlMode: 'presigned' | 'api';
	/** This API's signed /files/ URL of a key, for urlMode 'api' and for folders off AWS. */
	fileUrl: (key: string, expiresInSeconds?: number) => string;
	presignExpiresInSeconds: number;
	/** How long an operation is retried while the endpoint does not answer, before it fails. */
	retryForMs: number;
};

const isNotFound = (err: unknown): boolean => (err as S3ServiceException).$metadata?.httpStatusCode === 404;

const DELETE_BATCH = 1000;

/** The distributed bucket: any S3-compatible service, through the AWS SDK. */
export const createS3Storage = (options: S3StorageOptions): Storage => {
	const client = new S3Client({
		region: options.region,
		endpoint: options.endpoint ?? undefined,
		forcePathStyle: options.forcePathStyle,
		credentials: options.credentials ?? undefined,
		// An endpoint that takes the connection and never answers is an outage too, not a wait forever.
		requestHandler: {connectionTimeout: 5000, requestTimeout: 60_000},
	});
	const Bucket = options.bucket;
	const where = `The bucket ${Bucket} at ${options.endpoint ?? `AWS S3 (${options.region})`}`;
	// Every call that reaches the endpoint rides out an outage of up to retryForMs.
	const retried = <T>(what: string, call: () => Promise<T>) => retryStorageCall(call, {what, where, retryForMs: options.retryForMs});

	const list = async (prefix: string): Promise<StoredObject[]> => {
		checkKey(prefix, {prefix: true});
		const objects: StoredObject[] = [];
		let ContinuationToken: string | undefined;
		do {
			const page = await retried(`a listing of ${prefix}`, () => client.send(new ListObjectsV2Command({Bucket, Prefix: prefix, ContinuationToken})));
			for (const object of page.Contents ?? []) {
				if (object.Key !== undefined) {
					objects.push({key: object.Key, size: object.Size ?? 0});
				}
			}
			ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (ContinuationToken !== undefined);
		return objects.sort((a, b) => a.key.localeCompare(b.key));
	};

	return {
		bucketName: Bucket,
		putFile: async (key, file, contentType, {contentDisposition = null} = {}) => {
			checkKey(key);
			// Multipart for large outputs, a single PUT for small chunks. A presigned URL serves the
			// object with its Content-Disposition, as Lambda's downloadBehavior does.
			const metadata = {ContentType: contentType, ...(contentDisposition === null ? {} : {ContentDisposition: contentDisposition})};
			await retried(`an upload of ${key}`, () => new Upload({client, params: {Bucket, Key: key, Body: fs.createReadStream(file), ...metadata}}).done());
			return {key, size: (await fs.promises.stat(file)).size};
		},
		downloadFile: async (key, destination) => {
			checkKey(key);
			await retried(`a download of ${key}`, async () => {
				const object = await client.send(new GetObjectCommand({Bucket, Key: key}));
				await pipeline(object.Body as Readable, fs.createWriteStream(destination));
			});
		},
		head: async (key) => {
			checkKey(key);
			try {
				const head = await retried(`a look at ${key}`, () => client.send(new HeadObjectCommand({Bucket, Key: key})));
				return {key, size: head.ContentLength ?? 0};
			} catch (err) {
				if (isNotFound(err)) {
					return null;
				}
				throw err;
			}
		},
		list,
		deletePrefix: async (prefix) => {
			if (!prefix.endsWith('/')) {
				throw new RangeError(`deletePrefix takes a folder ending in "/", got "${prefix}"`);
			}
			const objects = await list(prefix);
			for (let i = 0; i < objects.length; i += DELETE_BATCH) {
				const batch = objects.slice(i, i + DELETE_BATCH).map((object) => ({Key: object.key}));
				await retried(`a removal of ${prefix}`, () => client.send(new DeleteObjectsCommand({Bucket, Delete: {Objects: batch, Quiet: true}})));
			}
			return objects.length;
		},
		url: async (key, expiresInSeconds) => {
			checkKey(key);
			return options.urlMode === 'api'
				? options.fileUrl(key, expiresInSeconds)
				: getSignedUrl(client, new GetObjectCommand({Bucket, Key: key}), {expiresIn: expiresInSeconds ?? options.presignExpiresInSeconds});
		},
		folderUrl: (prefix) => {
			checkKey(prefix, {prefix: true});
			return options.endpoint === null
				? `https://s3.console.aws.amazon.com/s3/buckets/${Bucket}?region=${options.region}&prefix=${encodeURIComponent(prefix)}`
				: options.fileUrl(prefix);
		},
		read: async (key, range) => {
			checkKey(key);
			try {
				const object = await retried(`a read of ${key}`, () =>
					client.send(new GetObjectCommand({Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined})),
				);
				const total = /\/(\d+)$/.exec(object.ContentRange ?? '')?.[1];
				return {body: object.Body as Readable, size: total ? Number(total) : (object.ContentLength ?? 0)};
			} catch (err) {
				if (isNotFound(err)) {
					return null;
				}
				throw err;
			}
		},
	};
};
