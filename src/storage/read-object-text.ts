import type {Storage} from './storage.js';

/** A small object (a manifest) as text, or null if the bucket does not have it. */
export const readObjectText = async (storage: Storage, key: string): Promise<string | null> => {
	const object = await storage.read(key);
	if (object === null) {
		return null;
	}
	const parts: Buffer[] = [];
	for await (const part of object.body) {
		parts.push(Buffer.from(part as Buffer));
	}
	return Buffer.concat(parts).toString('utf8');
};
