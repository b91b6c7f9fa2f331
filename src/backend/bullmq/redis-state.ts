import type {Redis} from 'ioredis';
import type {ChunkRecord, RenderErrorEntry, RenderJob, RenderRecord, RenderStatus} from '../render-record.js';
import {parseJob} from '../parse-job.js';

// Render state in Redis, next to BullMQ's own keys. BullMQ owns the queues, the locks, retries
// and stalled jobs; these keys hold what the progress object is computed from, so that any API
// server can answer for any render.
//
//   {prefix}:ff:seq                 submission counter (the queue order)
//   {prefix}:ff:render:{id}         hash: the render record's fields
//   {prefix}:ff:chunks:{id}         hash: chunk index -> ChunkRecord JSON
//   {prefix}:ff:errors:{id}         list: RenderErrorEntry JSON
//   {prefix}:ff:log:{id}            list: "{at} {line}"
//   {prefix}:ff:owner:{owner}       sorted set: render ids by seq
//   {prefix}:ff:finished            sorted set: finished render ids by finishedAt (for retention)
//   {prefix}:ff:queued              sorted set: ids of queued renders by seq (queue positions: ZRANK)
//   {prefix}:ff:queued-by:{owner}   sorted set: an owner's queued renders (the per-key cap: ZCARD)
//   {prefix}:ff:webhooks            list: ids of renders that succeeded or failed and have a webhook to send
//   {prefix}:ff:webhooks:claimed    sorted set: ids whose webhook a notifier is sending, by when it claimed it
//   {prefix}:ff:cancel              pub/sub channel: ids of cancelled or failed renders

// Moves a render to a new status only from one of the allowed ones, atomically; returns 1 if it did.
// A render that finishes enters the retention index (KEYS[2]) under its finishedAt; one that
// succeeds or fails with a webhook goes on the webhook list (KEYS[3]); one that leaves 'queued'
// leaves the queue indexes (KEYS[4], and KEYS[5] followed by its owner).
const TRANSITION = `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 0 end
for allowed in string.gmatch(ARGV[1], '[^,]+') do
  if allowed == current then
    redis.call('HSET', KEYS[1], 'status', ARGV[2])
    if current == 'queued' then
      redis.call('ZREM', KEYS[4], ARGV[3])
      redis.call('ZREM', KEYS[5] .. redis.call('HGET', KEYS[1], 'owner'), ARGV[3])
    end
    for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    local finishedAt = redis.call('HGET', KEYS[1], 'finishedAt')
    if finishedAt and finishedAt ~= '' then redis.call('ZADD', KEYS[2], finishedAt, ARGV[3]) end
    if (ARGV[2] == 'done' or ARGV[2] == 'error') and redis.call('HGET', KEYS[1], 'hasWebhook') == '1' then
      redis.call('RPUSH', KEYS[3], ARGV[3])
    end
    return 1
  end
end
return 0`;

// Hands out the next webhook to send: claims older than the lease (their notifier died) go back
// to the list first; the one handed out is claimed until completeWebhook.
const CLAIM_WEBHOOK = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1] - ARGV[2])
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('LPUSH', KEYS[1], id)
end
local id = redis.call('LPOP', KEYS[1])
if id then redis.call('ZADD', KEYS[2], ARGV[1], id) end
return id`;

// Writes a chunk record unless it would take a done chunk back: a worker whose lock ran out while
// Redis was away may still be claiming or reporting on a chunk another worker finished.
const PUT_CHUNK = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and ARGV[3] ~= 'done' and cjson.decode(current).status == 'done' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

// Raises a numeric field to a value, never lowering it.
const RAISE = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

type RenderHash = Record<string, string>;

export const createRedisState = (redis: Redis, prefix: string) => {
	const key = (...parts: string[]) => [prefix, 'ff', ...parts].join(':');
	const nullable = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

	const toRender = (id: string, hash: RenderHash, errors: RenderErrorEntry[]): RenderRecord => ({
		id,
		seq: Number(hash.seq),
		owner: hash.owner ?? '',
		status: hash.status as RenderStatus,
		job: parseJob(hash.job ?? '{}'),
		createdAt: Number(hash.createdAt),
		startedAt: nullable(hash.startedAt),
		finishedAt: nullable(hash.finishedAt),
		totalChunks: Number(hash.totalChunks),
		framesStitched: Number(hash.framesStitched ?? 0),
		outKey: hash.outKey ? hash.outKey : null,
		outSize: nullable(hash.outSize),
		bytesStored: Number(hash.bytesStored ?? 0),
		failure: hash.failure ? hash.failure : null,
		errors,
	});

	return {
		key,
		nextSeq: () => redis.incr(key('seq')),
		createRender: async (render: Omit<RenderRecord, 'errors'>, chunks: ChunkRecord[]) => {
			const multi = redis.multi();
			multi.hset(key('render', render.id), {
				seq: render.seq,
				owner: render.owner,
				status: render.status,
				job: JSON.stringify(render.job),
				hasWebhook: render.job.webhook === null ? '0' : '1',
				createdAt: render.createdAt,
				startedAt: '',
				finishedAt: '',
				totalChunks: render.totalChunks,
				framesStitched: 0,
				outKey: '',
				outSize: '',
				bytesStored: 0,
				failure: '',
			});
			for (const chunk of chunks) {
				multi.hset(key('chunks', render.id), String(chunk.index), JSON.stringify(chunk));
			}
			multi.zadd(key('owner', render.owner), render.seq, render.id);
			multi.zadd(key('queued'), render.seq, render.id);
			multi.zadd(key('queued-by', render.owner), render.seq, render.id);
			await multi.exec();
		},
		getRender: async (id: string): Promise<RenderRecord | null> => {
			const [hash, errors] = await Promise.all([redis.hgetall(key('render', id)), redis.lrange(key('errors', id), 0, -1)]);
			if (!hash.status) {
				return null;
			}
			return toRender(id, hash, errors.map((entry) => JSON.parse(entry) as RenderErrorEntry));
		},
		getChunks: async (id: string): Promise<ChunkRecord[]> => {
			const hash = await redis.hgetall(key('chunks', id));
			return Object.values(hash)
				.map((value) => JSON.parse(value) as ChunkRecord)
				.sort((a, b) => a.index - b.index);
		},
		getChunk: async (id: string, index: number): Promise<ChunkRecord | null> => {
			const value = await redis.hget(key('chunks', id), String(index));
			return value === null ? null : (JSON.parse(value) as ChunkRecord);
		},
		/**
		 * Writes a chunk as its holder read and changed it; false (and nothing written) when the chunk
		 * is done meanwhile, which only a write of 'done' may follow.
		 */
		putChunk: async (chunk: ChunkRecord): Promise<boolean> =>
			(await redis.eval(PUT_CHUNK, 1, key('chunks', chunk.renderId), String(chunk.index), JSON.stringify(chunk), chunk.status)) === 1,
		transition: async (id: string, from: RenderStatus[], to: RenderStatus, fields: Record<string, string | number> = {}): Promise<boolean> => {
			const args = Object.entries(fields).flatMap(([field, value]) => [field, String(value)]);
			const keys = [key('render', id), key('finished'), key('webhooks'), key('queued'), key('queued-by', '')];
			return (await redis.eval(TRANSITION, keys.length, ...keys, from.join(','), to, id, ...args)) === 1;
		},
		raise: (id: string, field: string, value: number) => redis.eval(RAISE, 1, key('render', id), field, String(value)),
		addBytes: (id: string, bytes: number) => redis.hincrby(key('render', id), 'bytesStored', bytes),
		setFields: (id: string, fields: Record<string, string | number>) => redis.hset(key('render', id), fields),
		addError: (id: string, entry: RenderErrorEntry) => redis.rpush(key('errors', id), JSON.stringify(entry)),
		log: (id: string, line: string) => redis.rpush(key('log', id), `${new Date().toISOString()} ${line}`),
		getLog: (id: string) => redis.lrange(key('log', id), 0, -1),
		/** 1 for the next queued render to start; null when not queued. One MULTI: one moment; O(log n) each. */
		queuePositions: async (ids: string[]) => {
			if (ids.length === 0) {
				return [];
			}
			const multi = redis.multi();
			for (const id of ids) {
				multi.zrank(key('queued'), id);
			}
			const results = (await multi.exec()) ?? [];
			return ids.map((_, i) => {
				const [error, rank] = results[i] ?? [new Error('the transaction was discarded'), null];
				if (error) {
					throw error;
				}
				return rank === null ? null : (rank as number) + 1;
			});
		},
		countQueued: (owner: string) => redis.zcard(key('queued-by', owner)),
		countAllQueued: () => redis.zcard(key('queued')),
		listIds: (owner: string, offset: number, limit: number) => redis.zrevrange(key('owner', owner), offset, offset + limit - 1),
		/** Each id goes to one caller at a time; again to another after `leaseMs` unless completed. */
		claimWebhook: async (leaseMs: number) => (await redis.eval(CLAIM_WEBHOOK, 2, key('webhooks'), key('webhooks:claimed'), Date.now(), leaseMs)) as string | null,
		completeWebhook: (id: string) => redis.zrem(key('webhooks:claimed'), id),
		listFinishedBefore: (before: number, limit: number) => redis.zrangebyscore(key('finished'), '-inf', `(${before}`, 'LIMIT', 0, limit),
		deleteRender: async (id: string) => {
			const owner = await redis.hget(key('render', id), 'owner');
			const removal = redis.multi().del(key('render', id), key('chunks', id), key('errors', id), key('log', id)).zrem(key('finished'), id).lrem(key('webhooks'), 0, id).zrem(key('webhooks:claimed'), id).zrem(key('queued'), id);
			await (owner === null ? removal : removal.zrem(key('owner', owner), id).zrem(key('queued-by', owner), id)).exec();
		},
		cancelChannel: key('cancel'),
	};
};

export type RedisState = ReturnType<typeof createRedisState>;
