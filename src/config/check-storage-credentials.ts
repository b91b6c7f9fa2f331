/**
 * The prompt-to-motion-graphics app's configuration errors, for storage that needs credentials:
 * null when both are set. The key id and secret are read from REMOTION_AWS_* or AWS_* (see loadConfig).
 */
export const checkStorageCredentials = (credentials: {accessKeyId: string | null; secretAccessKey: string | null}): string | null => {
	if (credentials.accessKeyId === null && credentials.secretAccessKey === null) {
		return 'Set up the S3 storage credentials to render videos: REMOTION_AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID) and REMOTION_AWS_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY) are missing. See the README.md for how to do so.';
	}
	if (credentials.accessKeyId === null) {
		return 'The environment variable REMOTION_AWS_ACCESS_KEY_ID is missing. Add it to your .env file.';
	}
	if (credentials.secretAccessKey === null) {
		return 'The environment variable REMOTION_AWS_SECRET_ACCESS_KEY is missing. Add it to your .env file.';
	}
	return null;
};
