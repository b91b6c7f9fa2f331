// Requests Chromium refuses by itself (file: URLs, the site's Content-Security-Policy) never reach
// the request guard; its console says so.
const PATTERNS: RegExp[] = [
	/Connecting to '([^']+)' violates the following Content Security Policy/,
	/Refused to connect to '([^']+)'/,
	/Fetch API cannot load (\S+?)\.? (?:URL scheme|Refused to connect)/,
	/Not allowed to load local resource: (\S+)/,
];

const reasonFor = (url: string): string => {
	if (url.startsWith('file:')) {
		return 'file: URLs are not allowed';
	}
	if (/^wss?:/.test(url)) {
		return 'WebSockets may connect only to the bundle server';
	}
	return 'the page’s Content-Security-Policy allows only http(s), data: and blob: URLs';
};

/** The URL and reason when a browser console line reports a request Chromium itself blocked. */
export const blockedByBrowser = (text: string): {url: string; reason: string} | null => {
	for (const pattern of PATTERNS) {
		const match = pattern.exec(text);
		if (match) {
			return {url: match[1]!, reason: reasonFor(match[1]!)};
		}
	}
	return null;
};
