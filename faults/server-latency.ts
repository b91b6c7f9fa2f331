// How long the API server itself took to answer one route, read from its own histogram
// (framefarm_http_request_duration_seconds, Fastify's elapsedTime: from the request read to the reply sent)
// before and after a load. Against the client's latency, this splits the time the server spent
// from the time the request and its answer spent waiting outside it (the generator sending late,
// the kernel, the server's thread waiting for a core before it read the request).

/** Cumulative counts by upper bound in seconds ("+Inf" included), of one route's GETs. */
type Buckets = Map<number, number>;
/** The server's young-generation collections (scavenges) so far, from prom-client's GC metrics. */
type Scavenges = {count: number; seconds: number};
export type ServerReading = {buckets: Buckets; scavenges: Scavenges};

const BUCKET = /^framefarm_http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/gm;
const LABEL = /(\w+)="([^"]*)"/g;
const MINOR_GC = /^nodejs_gc_duration_seconds_(count|sum)\{kind="minor"\} (\d+(?:\.\d+)?(?:e-?\d+)?)$/gm;

export const readServer = async (serverUrl: string, route: string): Promise<ServerReading> => {
	const response = await fetch(`${serverUrl}/metrics`);
	if (!response.ok) {
		throw new Error(`GET /metrics: ${response.status} ${await response.text()}`);
	}
	const text = await response.text();
	const scavenges: Scavenges = {count: 0, seconds: 0};
	for (const [, field, value] of text.matchAll(MINOR_GC)) {
		scavenges[field === 'count' ? 'count' : 'seconds'] = Number(value);
	}
	const buckets: Buckets = new Map();
	for (const [, labelText, count] of text.matchAll(BUCKET)) {
		const labels = Object.fromEntries([...labelText!.matchAll(LABEL)].map(([, name, value]) => [name, value]));
		if (labels.route === route && labels.method === 'GET') {
			const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
			buckets.set(le, (buckets.get(le) ?? 0) + Number(count));
		}
	}
	return {buckets, scavenges};
};

export type ServerLatency = {
	requests: number;
	/** Share of the requests the server answered within 10 ms, by its own clock. */
	within10Ms: number;
	/** The histogram bucket the server's p99 falls in: its upper bound in ms. */
	p99AtMostMs: number;
	/** Scavenges in the window and their mean pause: a poll that arrives during one waits it out. */
	scavenges: number;
	scavengeMeanMs: number;
};

/** What the server measured for the requests between two readings of its histogram. */
export const serverLatencyBetween = (before: ServerReading, after: ServerReading): ServerLatency => {
	const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
	const delta = (le: number) => (after.buckets.get(le) ?? 0) - (before.buckets.get(le) ?? 0);
	const requests = delta(Infinity);
	const p99 = bounds.find((le) => delta(le) >= requests * 0.99) ?? Infinity;
	const scavenges = after.scavenges.count - before.scavenges.count;
	const scavengeMs = (after.scavenges.seconds - before.scavenges.seconds) * 1000;
	return {
		requests,
		within10Ms: requests === 0 ? 1 : delta(0.01) / requests,
		p99AtMostMs: p99 * 1000,
		scavenges,
		scavengeMeanMs: scavenges === 0 ? 0 : Math.round((scavengeMs / scavenges) * 10) / 10,
	};
};
