// What framefarm stores and serves, by file extension: outputs of every codec, stills, chunks.
const CONTENT_TYPES: Record<string, string> = {
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mkv: 'video/x-matroska',
	ts: 'video/mp2t',
	gif: 'image/gif',
	mp3: 'audio/mpeg',
	aac: 'audio/aac',
	wav: 'audio/wav',
	png: 'image/png',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	webp: 'image/webp',
	pdf: 'application/pdf',
	json: 'application/json',
};

/** The Content-Type of a file or object key, by its extension. */
export const contentTypeOf = (name: string): string => CONTENT_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
