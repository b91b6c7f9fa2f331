import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {createS3Storage, type S3StorageOptions} from '../src/storage/create-s3-storage.js';
import {startS3Server, S3_CREDENTIALS} from './s3-server.js';
import {storageConformance} from './storage-conformance.js';

let s3: Awaited<ReturnType<typeof startS3Server>>;
const BUCKET = 'framefarm-test';

const options = (): S3StorageOptions => ({
	bucket: BUCKET,
	region: 'us-east-1',
	endpoint: s3.endpoint,
	forcePathStyle: true,
	credentials: S3_CREDENTIALS,
	urlMode: 'presigned',
	fileUrl: (key) => `http://api.test/files/${key}?signed`,
	presignExpiresInSeconds: 3600,
});

before(async () => {
	s3 = await startS3Server(BUCKET);
});
after(() => s3.close());

storageConformance('S3 (s3rver on loopback)', async () => createS3Storage(options()));

describe('S3 storage URLs', () => {
	it('presigns URLs by default, or points at the API', async () => {
		assert.match(await createS3Storage(options()).url('renders/a/out.mp4'), /X-Amz-Signature=/);
		assert.equal(await createS3Storage({...options(), urlMode: 'api'}).url('renders/a/out.mp4'), 'http://api.test/files/renders/a/out.mp4?signed');
	});

	it('links folders to the S3 console on AWS, to the API elsewhere', () => {
		assert.equal(createS3Storage(options()).folderUrl('renders/a/'), 'http://api.test/files/renders/a/?signed');
		assert.equal(
			createS3Storage({...options(), endpoint: null, region: 'eu-central-1'}).folderUrl('renders/a/'),
			'https://s3.console.aws.amazon.com/s3/buckets/framefarm-test?region=eu-central-1&prefix=renders%2Fa%2F',
		);
	});
});
