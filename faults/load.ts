import {readEvents} from '../src/client/read-events.js';
import {api, sleep} from '../test/helpers.js';
import {startRedisProcess} from '../test/faults/redis-process.js';
import {startFarm} from '../test/faults/start-farm.js';

// npm run faults -- --load: many keys queue many tiny renders on the distributed farm at once.
// Every render must end done; queue positions stay consistent; the per-key cap holds; progress
// polls stay fast; SSE clients following renders each get their final event.

const say = (line: string) => process.stdout.write(`${line}\n`);
const KEYS = 20;
const PER_KEY = Number(process.env.LOAD_PER_KEY ?? 50);
const SSE_CLIENTS = 200;
const TINY = 'export default () => <AbsoluteFill style={{background: "teal"}} />;';

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

export const runLoad = async () => {
	const keys = Array.from({length: KEYS}, (_, i) => `load-key-${i}`);
	const redis = await startRedisProcess();
	const farm = await startFarm({
		redis,
		env: {FRAMEFARM_API_KEYS: keys.join(','), FRAMEFARM_RATE_LIMIT: '100000', FRAMEFARM_MAX_QUEUED_PER_KEY: String(PER_KEY), FRAMEFARM_MAX_RENDERS: '2'},
	});
	const as = (key: string) => ({url: farm.server.url, apiKey: key});
	try {
		const startedAt = Date.now();
		const owner = new Map<string, string>();
		// Keys submit side by side, each its renders in order.
		await Promise.all(
			keys.map(async (key) => {
				for (let i = 0; i < PER_KEY; i++) {
					const response = await api(as(key), 'POST', '/api/render', {inputProps: {code: TINY, durationInFrames: 2, fps: 30}, width: 64, height: 64});
					if (response.status !== 202) {
						throw new Error(`submit ${i} of ${key}: ${response.status} ${JSON.stringify(response.body)}`);
					}
					owner.set(response.body.renderId, key);
				}
			}),
		);
		const submitMs = Date.now() - startedAt;
		const ids = [...owner.keys()];
		say(`load: ${ids.length} renders queued by ${KEYS} keys in ${(submitMs / 1000).toFixed(1)} s`);
		// The cap: one more from every key is refused while its renders wait (unless its first ones started already).
		const capped = await Promise.all(keys.map(async (key) => (await api(as(key), 'POST', '/api/render', {inputProps: {code: TINY, durationInFrames: 2, fps: 30}, width: 64, height: 64})).body.code as string));
		const refusedByCap = capped.filter((code) => code === 'too_many_queued').length;

		// 200 clients follow the last renders over SSE until their final event.
		const followed = ids.slice(-SSE_CLIENTS);
		const finals = followed.map(async (id) => {
			let last = '';
			for (let attempt = 0; attempt < 3 && last === ''; attempt++) {
				try {
					for await (const event of readEvents({serverUrl: farm.server.url, apiKey: owner.get(id)!}, `/api/render/${id}/events`)) {
						if (event.event === 'done' || event.event === 'error') {
							last = event.event;
						}
					}
				} catch {
					await sleep(1000);
				}
			}
			return last;
		});

		// Sweeps over every render: positions of queued renders, poll latencies, until all are done.
		const positions = new Map<string, number[]>();
		const latencies: number[] = [];
		let sameMoment = 0;
		let done = 0;
		let failed = 0;
		while (done + failed < ids.length) {
			// As 20 clients polling side by side.
			const sweep: {id: string; body: {type: string; queuePosition?: number}}[] = [];
			for (let i = 0; i < ids.length; i += KEYS) {
				sweep.push(
					...(await Promise.all(
						ids.slice(i, i + KEYS).map(async (id) => {
							const sentAt = performance.now();
							const {body} = await api(as(owner.get(id)!), 'GET', `/api/render/${id}`);
							latencies.push(performance.now() - sentAt);
							return {id, body: body as {type: string; queuePosition?: number}};
						}),
					)),
				);
			}
			done = sweep.filter(({body}) => body.type === 'done').length;
			failed = sweep.filter(({body}) => body.type === 'error').length;
			const queued = sweep.filter(({body}) => body.type === 'queued');
			for (const {id, body} of queued) {
				positions.set(id, [...(positions.get(id) ?? []), body.queuePosition!]);
			}
			// Within one sweep a render may start between two answers, so equal positions can be
			// legitimate; counted, and compared with the number of renders that started.
			sameMoment += queued.length - new Set(queued.map(({body}) => body.queuePosition)).size;
			say(`load: ${done} done, ${failed} failed, ${queued.length} queued after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
			await sleep(2000);
		}
		const wallS = (Date.now() - startedAt) / 1000;
		const rose = [...positions.values()].filter((seen) => seen.some((position, i) => i > 0 && position > seen[i - 1]!)).length;
		const sseFinals = await Promise.all(finals);
		return {
			renders: ids.length,
			keys: KEYS,
			done,
			failed,
			wallS,
			rendersPerSecond: ids.length / wallS,
			refusedByCap,
			positionsRose: rose,
			sharedPositionsInASweep: sameMoment,
			pollP50: percentile(latencies, 50),
			pollP99: percentile(latencies, 99),
			polls: latencies.length,
			sseClients: followed.length,
			sseFinalEvents: sseFinals.filter((event) => event !== '').length,
			exited: farm.exited(),
		};
	} finally {
		await farm.stop();
		await redis.stop();
	}
};
