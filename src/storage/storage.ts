/** An object in the bucket. */
export type StoredObject = {key: string; size: number};

/**
 * The bucket: chunks and outputs. Drivers: a local folder (embedded) and S3-compatible
 * services. Keys are relative, '/'-separated paths; drivers refuse any that could leave the bucket.
 */
export type Storage = {
	readonly bucketName: string;
	/** Stores a file; `contentDisposition` is kept with the object where the bucket serves it itself (S3). */
	putFile: (key: string, file: string, contentType: string, options?: {contentDisposition?: string | null}) => Promise<StoredObject>;
	downloadFile: (key: string, destination: string) => Promise<void>;
	head: (key: string) => Promise<StoredObject | null>;
	list: (prefix: string) => Promise<StoredObject[]>;
	deletePrefix: (prefix: string) => Promise<number>;
	/**
	 * Where a client fetches the object: a presigned URL of the bucket, or this API's signed
	 * /files/ URL; valid for the configured time, or for `expiresInSeconds` when given.
	 */
	url: (key: string, expiresInSeconds?: number) => Promise<string>;
	/** Where a person browses a folder of the bucket (the S3 console on AWS). */
	folderUrl: (prefix: string) => string;
	/**
	 * Reads an object or a byte range of it, for the API to stream when clients cannot reach the
	 * bucket themselves. `range` is inclusive, as in an HTTP Range header. Null if missing.
	 */
	read: (key: string, range?: {start: number; end: number}) => Promise<{body: NodeJS.ReadableStream; size: number} | null>;
};
