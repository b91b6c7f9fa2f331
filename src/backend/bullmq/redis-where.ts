/** Where a Redis URL points, as `host:port`, for messages and logs: never its password. */
export const redisWhere = (url: string): string => {
	try {
		const parsed = new URL(url);
		return `${parsed.hostname}:${parsed.port || 6379}`;
	} catch {
		return 'the configured Redis';
	}
};
