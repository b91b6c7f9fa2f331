import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {createS3Storage, type S3StorageOptions} from '../src/storage/create-s3-storage.js';
import fs from 'node:fs';
import path from 'node:path';
import {startTcpProxy} from './faults/tcp-proxy.js';
import {makeTempDir, sleep} from './helpers.js';
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
	retryForMs: 5000,
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

describe('S3 storage when the endpoint goes away', () => {
	it('retries with backoff through a short outage, then fails naming the bucket and endpoint', async () => {
		const proxy = await startTcpProxy({host: '127.0.0.1', port: Number(new URL(s3.endpoint).port)});
		const dir = makeTempDir();
		try {
			const file = path.join(dir, 'chunk.bin');
			fs.writeFileSync(file, Buffer.alloc(200_000, 7));
			const storage = createS3Storage({...options(), endpoint: proxy.url, retryForMs: 8000});
			await proxy.cut();
			const upload = storage.putFile('renders/outage/chunk.bin', file, 'application/octet-stream');
			await sleep(2500);
			await proxy.restore();
			assert.deepEqual(await upload, {key: 'renders/outage/chunk.bin', size: 200_000});
			assert.deepEqual(await storage.head('renders/outage/chunk.bin'), {key: 'renders/outage/chunk.bin', size: 200_000});

			await proxy.cut();
			const startedAt = Date.now();
			const gone = createS3Storage({...options(), endpoint: proxy.url, retryForMs: 2000});
			await assert.rejects(gone.putFile('renders/outage/again.bin', file, 'application/octet-stream'), (err: Error) => {
				assert.equal(err.name, 'StorageUnavailableError');
				assert.match(err.message, new RegExp(`^The bucket ${BUCKET} at ${proxy.url} did not answer an upload of renders/outage/again\\.bin in \\d+ attempts over 2 s: `));
				return true;
			});
			assert.ok(Date.now() - startedAt < 10_000, `failed within the bound (${Date.now() - startedAt} ms)`);
			await assert.rejects(gone.head('renders/outage/chunk.bin'), /did not answer a look at renders\/outage\/chunk\.bin/);
		} finally {
			await proxy.close();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});
