/** An object in the bucket. */
export type StoredObject = {key: string; size: number};

/**
 * The bucket: chunks and outputs. Drivers: a local folder (embedded) and S3-compatible
 * services. Keys are relative, '/'-separated paths; drivers refuse any that could leave the bucket.
 */
export type Storage = {
	readonly bucketName: string;
	putFile: (key: string, file: string, contentType: string) => Promise<StoredObject>;
	downloadFile: (key: string, destination: string) => Promise<void>;
	head: (key: string) => Promise<StoredObject | null>;
	list: (prefix: string) => Promise<StoredObject[]>;
	deletePrefix: (prefix: string) => Promise<number>;
	/** Where a client fetches the object. */
	url: (key: string) => string;
};
