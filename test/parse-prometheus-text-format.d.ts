// The parser ships without types: what test/scrape-metrics.ts reads of its output.
declare module 'parse-prometheus-text-format' {
	type Sample = {labels?: Record<string, string>; value: string} | {labels?: Record<string, string>; buckets: Record<string, string>; count: string; sum: string};
	const parse: (text: string) => Array<{name: string; help: string; type: string; metrics: Sample[]}>;
	export default parse;
}
