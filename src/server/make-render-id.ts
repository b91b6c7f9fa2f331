import crypto from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 12 random characters: unguessable, since the output URL is reachable without a key. */
export const makeRenderId = (): string =>
	Array.from(crypto.randomBytes(12), (byte) => ALPHABET[byte % ALPHABET.length]).join('');

export const RENDER_ID_PATTERN = /^[a-z0-9]{1,64}$/;
