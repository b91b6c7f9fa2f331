import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import {loadRoute} from '../bench/load.js';
import {API_NICE} from '../src/worker/thread-priority.js';
import {readEvents} from '../src/client/read-events.js';
import {api, processTree, sleep} from '../test/helpers.js';
import {startRedisProcess} from '../test/faults/redis-process.js';
import {startFarm} from '../test/faults/start-farm.js';
import {readServer, serverLatencyBetween} from './server-latency.js';

// npm run faults -- --load: many keys queue many tiny renders on the distributed farm at once.
// Every render must end done; queue positions stay strictly consistent; the per-key cap holds;
// progress polls meet the benchmark's target; SSE clients following renders each get their final event.

const say = (line: string) => process.stdout.write(`${line}\n`);
const KEYS = 20;
// A page of /api/renders (at most 100) holds all of a key's renders.
const PER_KEY = Math.min(90, Number(process.env.LOAD_PER_KEY ?? 50));
const SSE_CLIENTS = 200;
const OVER_CAP = 5;
const TINY = 'export default () => <AbsoluteFill style={{background: "teal"}} />;';

/** Which scheduling group (autogroup) a process runs in, and the group's nice value; null without autogroups. */
const autogroupOf = (pid: number): {group: string; nice: number} | null => {
	try {
		const [, group, nice] = /^(\S+) nice (-?\d+)/.exec(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8')) ?? [];
		return group === undefined ? null : {group, nice: Number(nice)};
	} catch {
		return null;
	}
};

/**
 * Puts every thread of a process and its descendants in Linux's idle class (what they start
 * later inherits it), and the scheduling groups they run in at nice 19, but for the groups of the
 * processes spared: Remotion starts each browser in a session of its own, which Linux schedules
 * as a group (autogroup) competing with the API server's group at the group's own nice value,
 * whatever the threads inside it are set to. Returns what puts them back.
 */
const yieldTree = (pid: number, spare: number[]): (() => void) => {
	const groups = new Map<string, {pid: number; nice: number}>();
	const spared = new Set(spare.map((member) => autogroupOf(member)?.group));
	const members = processTree(pid).map(({pid: member}) => member);
	for (const member of members) {
		const autogroup = autogroupOf(member);
		if (autogroup !== null && !spared.has(autogroup.group) && !groups.has(autogroup.group)) {
			try {
				fs.writeFileSync(`/proc/${member}/autogroup`, '19');
				groups.set(autogroup.group, {pid: member, nice: autogroup.nice});
			} catch {
				// Gone meanwhile.
			}
		}
		spawnSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(member)], {stdio: 'ignore'});
	}
	return () => {
		for (const {pid: member, nice} of groups.values()) {
			try {
				fs.writeFileSync(`/proc/${member}/autogroup`, String(nice));
			} catch {
				// Gone meanwhile.
			}
		}
		for (const member of processTree(pid).map((entry) => entry.pid)) {
			spawnSync('chrt', ['--all-tasks', '--other', '--pid', '0', String(member)], {stdio: 'ignore'});
		}
	};
};

/** Every thread of a process at API_NICE, as a Redis on a machine of its own; returns what puts them back. */
const raiseThreads = (pid: number): (() => void) => {
	const threads = fs.readdirSync(`/proc/${pid}/task`).map(Number);
	const before = threads.map((thread) => os.getPriority(thread));
	const set = (nice: (i: number) => number) => threads.forEach((thread, i) => os.setPriority(thread, nice(i)));
	set(() => API_NICE);
	return () => set((i) => before[i]!);
};

export const runLoad = async () => {
	const keys = Array.from({length: KEYS}, (_, i) => `load-key-${i}`);
	// Persisted as the README asks of production (AOF, fsync every second).
	const redis = await startRedisProcess({fsync: 'everysec'});
	const farm = await startFarm({
		redis,
		env: {FRAMEFARM_API_KEYS: keys.join(','), FRAMEFARM_RATE_LIMIT: '100000', FRAMEFARM_MAX_QUEUED_PER_KEY: String(PER_KEY), FRAMEFARM_MAX_RENDERS: '2'},
	});
	const as = (key: string) => ({url: farm.server.url, apiKey: key});
	try {
		const startedAt = Date.now();
		const owner = new Map<string, string>();
		let refusedByCap = 0;
		// Keys submit side by side, each its renders in order: PER_KEY, which the cap (PER_KEY queued)
		// lets through, then a few more, which it refuses unless that key's first renders started.
		const submit = (key: string) => api(as(key), 'POST', '/api/render', {inputProps: {code: TINY, durationInFrames: 2, fps: 30}, width: 64, height: 64});
		await Promise.all(
			keys.map(async (key) => {
				for (let i = 0; i < PER_KEY + OVER_CAP; i++) {
					const response = await submit(key);
					if (response.status === 202) {
						owner.set(response.body.renderId, key);
					} else if (i >= PER_KEY && response.body.code === 'too_many_queued') {
						refusedByCap++;
					} else {
						throw new Error(`submit ${i} of ${key}: ${response.status} ${JSON.stringify(response.body)}`);
					}
				}
			}),
		);
		const submitMs = Date.now() - startedAt;
		const ids = [...owner.keys()];
		say(`load: ${ids.length} renders queued by ${KEYS} keys in ${(submitMs / 1000).toFixed(1)} s; ${refusedByCap} refused by the per-key cap`);

		// Progress polls at the benchmark's rate and target (500/s open loop, p99 <= 10 ms) while
		// the workers render the first renders: on one render of the queue's end. The SSE clients
		// come after, so that the figure is the polls' alone.
		const polled = ids.at(-1)!;
		const pollLoad = async () => {
			const before = await readServer(farm.server.url, '/api/render/:renderId');
			const client = await loadRoute({url: farm.server.url, apiKey: owner.get(polled)!}, `/api/render/${polled}`, {rate: 500, seconds: 10});
			return {...client, server: serverLatencyBetween(before, await readServer(farm.server.url, '/api/render/:renderId'))};
		};
		const polls = await pollLoad();
		// Again with the workers yielding the cores to everything else and Redis at the API's
		// priority: an API server and its Redis run on machines of their own, and this is the nearest
		// these 2 cores come to it. (With Redis at nice 0 the server's own p99 was up to 10 ms: a poll
		// waited for Redis to get a core, behind the S3 server and the proxy in this process.)
		const restore = farm.workers.map((worker) => yieldTree(worker.child.pid!, [farm.server.child.pid!, process.pid]));
		const redisFirst = raiseThreads(redis.pid()!);
		const pollsApiFirst = await pollLoad();
		redisFirst();
		for (const undo of restore) {
			undo();
		}

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

		// Sweeps: each key reads its renders as one page, whose queue positions are read at one
		// moment. In a page, queued renders hold distinct positions in submission order; across
		// pages, no render's position rises.
		const positions = new Map<string, number[]>();
		let inconsistentPages = 0;
		let mostQueuedOfAKey = 0;
		let pages = 0;
		let done = 0;
		let failed = 0;
		while (done + failed < ids.length) {
			const sweep = await Promise.all(
				keys.map(async (key) => {
					const {status, body} = await api(as(key), 'GET', `/api/renders?limit=100`);
					if (status !== 200) {
						throw new Error(`GET /api/renders as ${key}: ${status} ${JSON.stringify(body)}`);
					}
					return body.renders as {renderId: string; status: string; queuePosition: number | null}[];
				}),
			);
			pages += sweep.length;
			for (const page of sweep) {
				// Newest first: the queued positions must fall strictly down the page.
				const queued = page.filter((render) => render.queuePosition !== null).map((render) => render.queuePosition!);
				mostQueuedOfAKey = Math.max(mostQueuedOfAKey, queued.length);
				if (queued.some((position, i) => i > 0 && position >= queued[i - 1]!)) {
					inconsistentPages++;
				}
				for (const render of page) {
					if (render.queuePosition !== null) {
						positions.set(render.renderId, [...(positions.get(render.renderId) ?? []), render.queuePosition]);
					}
				}
			}
			const renders = sweep.flat();
			done = renders.filter((render) => render.status === 'done').length;
			failed = renders.filter((render) => render.status === 'error' || render.status === 'cancelled').length;
			const queuedNow = renders.filter((render) => render.status === 'queued').length;
			say(`load: ${done} done, ${failed} failed, ${queuedNow} queued after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
			await sleep(1000);
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
			cap: PER_KEY,
			refusedByCap,
			mostQueuedOfAKey,
			positionsRose: rose,
			pages,
			inconsistentPages,
			polls,
			pollsApiFirst,
			sseClients: followed.length,
			sseFinalEvents: sseFinals.filter((event) => event !== '').length,
			exited: farm.exited(),
		};
	} finally {
		await farm.stop();
		await redis.stop();
	}
};
