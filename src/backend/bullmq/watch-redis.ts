import type {Redis} from 'ioredis';

const PING_EVERY_MS = 1000;
// A ping unanswered this long (a paused server, a network stall) counts as an outage.
const STALLED_MS = 3000;

/**
 * Whether Redis answers, for the API's 503s and readiness: the connection is up and a ping sent
 * every second came back within STALLED_MS. Errors of every connection come here; the log hears
 * of an outage once, when it starts, and once when Redis answers again.
 */
export const watchRedis = ({connection, where, log}: {connection: Redis; where: string; log: (line: string) => void}) => {
	let lastError: string | null = null;
	let pingSentAt: number | null = null;
	let down = false;

	const problem = (): string | null => {
		if (connection.status !== 'ready') {
			return `Redis at ${where} is unreachable${lastError === null ? '' : ` (${lastError})`}; renders and their state are kept there, so this server waits for it`;
		}
		if (pingSentAt !== null && Date.now() - pingSentAt > STALLED_MS) {
			return `Redis at ${where} has not answered for ${Math.round((Date.now() - pingSentAt) / 1000)} s`;
		}
		return null;
	};
	const check = () => {
		const now = problem();
		if (now !== null && !down) {
			log(`${now}; retrying`);
		} else if (now === null && down) {
			log(`Redis at ${where} answers again`);
			lastError = null;
		}
		down = now !== null;
	};
	const timer = setInterval(() => {
		check();
		if (pingSentAt === null) {
			pingSentAt = Date.now();
			connection.ping().then(
				() => (pingSentAt = null),
				() => (pingSentAt = null),
			);
		}
	}, PING_EVERY_MS);
	timer.unref();

	return {
		problem,
		onError: (err: unknown) => {
			lastError = (err as Error).message ?? String(err);
			check();
		},
		stop: () => clearInterval(timer),
	};
};
