import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {makeTempDir, ROOT} from './helpers.js';

export const S3_CREDENTIALS = {accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER'};

/** A local S3-compatible server (s3rver) on loopback, in a child process, with one empty bucket. */
export const startS3Server = async (bucket: string) => {
	const directory = makeTempDir('framefarm-s3-');
	const child = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 's3-server.mjs'), directory, bucket], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stderr.on('data', (data: Buffer) => (output += data.toString()));
	const port = await new Promise<number>((resolve, reject) => {
		child.stdout.once('data', (data: Buffer) => resolve((JSON.parse(data.toString()) as {port: number}).port));
		child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${output}`)));
	});
	return {
		endpoint: `http://127.0.0.1:${port}`,
		/** Every file s3rver keeps (its own layout, object keys in the paths): what is in the bucket. */
		files: () => (fs.readdirSync(directory, {recursive: true}) as string[]).map((file) => file.split(path.sep).join('/')),
		close: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			fs.rmSync(directory, {recursive: true, force: true});
		},
	};
};
