import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

/** One scrape of a /metrics endpoint, parsed by a Prometheus text-format parser. */
export type Scrape = {
	/** A counter's or gauge's value for the labels given (every other label ignored); 0 when absent. */
	value: (name: string, labels?: Record<string, string>) => number;
	/**
	 * An unlabelled histogram's count and sum; zeros when absent. (parse-prometheus-text-format
	 * loses the labels, count and sum of a labelled histogram: read its counter twin instead.)
	 */
	histogram: (name: string) => {count: number; sum: number};
	names: () => string[];
	text: string;
};

const matches = (labels: Record<string, string> | undefined, wanted: Record<string, string>) => Object.entries(wanted).every(([key, value]) => labels?.[key] === value);

export const parseScrape = (text: string): Scrape => {
	const families = new Map<string, Family>(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
	const samples = (name: string, labels: Record<string, string>) => (families.get(name)?.metrics ?? []).filter((metric) => matches(metric.labels, labels));
	return {
		value: (name, labels = {}) => samples(name, labels).reduce((sum, metric) => sum + Number((metric as {value: string}).value), 0),
		histogram: (name) =>
			samples(name, {}).reduce(
				(total, metric) => {
					const {count, sum} = metric as {count: string; sum: string};
					return {count: total.count + Number(count), sum: total.sum + Number(sum)};
				},
				{count: 0, sum: 0},
			),
		names: () => [...families.keys()],
		text,
	};
};

/** GET /metrics with the token, parsed. */
export const scrapeMetrics = async (url: string, token?: string): Promise<Scrape> => {
	const response = await fetch(url, {headers: token === undefined ? {} : {authorization: `Bearer ${token}`}});
	const text = await response.text();
	assert.equal(response.status, 200, text);
	assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
	return parseScrape(text);
};
