import fs from 'node:fs';
import {after} from 'node:test';
import {createLocalStorage} from '../src/storage/create-local-storage.js';
import {makeTempDir} from './helpers.js';
import {storageConformance} from './storage-conformance.js';

const root = makeTempDir();
after(() => fs.rmSync(root, {recursive: true, force: true}));

storageConformance('local folder', async () =>
	createLocalStorage({root, bucketName: 'framefarm', fileUrl: (key) => `http://127.0.0.1:3000/files/${key}`}),
);
