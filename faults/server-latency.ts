// How long the API server itself took to answer one route, read from its own histogram
// (framefarm_http_request_duration_seconds, Fastify's elapsedTime: from the request read to the reply sent)
// before and after a load. Against the client's latency, this splits the time the server spent
// from the time the request and its answer spent waiting outside it (the generator sending late,
// the kernel, the server's thread waiting for a core before it read the request).

/** Cumulative counts by upper bound in seconds ("+Inf" included), of one route's GETs. */
type Buckets = Map<number, number>;

const BUCKET = /^framefarm_http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/gm;
const LABEL = /(\w+)="([^"]*)"/g;

export const readRouteBuckets = async (serverUrl: string, route: string): Promise<Buckets> => {
	const response = await fetch(`${serverUrl}/metrics`);
	if (!response.ok) {
		throw new Error(`GET /metrics: ${response.status} ${await response.text()}`);
	}
	const buckets: Buckets = new Map();
	for (const [, labelText, count] of (await response.text()).matchAll(BUCKET)) {
		const labels = Object.fromEntries([...labelText!.matchAll(LABEL)].map(([, name, value]) => [name, value]));
		if (labels.route === route && labels.method === 'GET') {
			const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
			buckets.set(le, (buckets.get(le) ?? 0) + Number(count));
		}
	}
	return buckets;
};

export type ServerLatency = {
	requests: number;
	/** Share of the requests the server answered within 10 ms, by its own clock. */
	within10Ms: number;
	/** The histogram bucket the server's p99 falls in: its upper bound in ms. */
	p99AtMostMs: number;
};

/** What the server measured for the requests between two readings of its histogram. */
export const serverLatencyBetween = (before: Buckets, after: Buckets): ServerLatency => {
	const bounds = [...after.keys()].sort((a, b) => a - b);
	const delta = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
	const requests = delta(Infinity);
	const p99 = bounds.find((le) => delta(le) >= requests * 0.99) ?? Infinity;
	return {requests, within10Ms: requests === 0 ? 1 : delta(0.01) / requests, p99AtMostMs: p99 * 1000};
};
