import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import {Redis} from 'ioredis';
import {makeTempDir, sleep} from '../helpers.js';

const freePort = (): Promise<number> =>
	new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});

/**
 * A redis-server of a test's own, on a free loopback port, persisting to an append-only file
 * (fsync on every write, so a SIGKILL loses nothing and a restart finds every key): one a test
 * may pause, kill and start again without touching the machine's Redis.
 */
export const startRedisProcess = async ({
	appendOnly = true,
	fsync = 'always',
	extraArgs = [],
}: {
	appendOnly?: boolean;
	/** always: nothing acknowledged is lost to a kill (the fault runs); everysec: what the README asks of production. */
	fsync?: 'always' | 'everysec';
	extraArgs?: string[];
} = {}) => {
	const dir = makeTempDir('framefarm-redis-');
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...(appendOnly ? ['--appendonly', 'yes', '--appendfsync', fsync] : ['--appendonly', 'no']), ...extraArgs];
	let child: ChildProcess | null = null;

	const ping = async () => {
		const client = new Redis({port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null});
		client.on('error', () => undefined);
		try {
			await client.connect();
			return (await client.ping()) === 'PONG';
		} catch {
			return false;
		} finally {
			client.disconnect();
		}
	};

	const start = async () => {
		child = spawn('redis-server', args, {stdio: 'ignore'});
		for (let i = 0; i < 100; i++) {
			if (await ping()) {
				return;
			}
			await sleep(50);
		}
		throw new Error(`redis-server did not start on port ${port}`);
	};

	const signal = (name: NodeJS.Signals) => {
		child?.kill(name);
	};

	await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		/** The server's process id while it runs. */
		pid: () => child?.pid ?? null,
		/** A network stall: the server holds every connection and answers nothing. */
		pause: () => signal('SIGSTOP'),
		resume: () => signal('SIGCONT'),
		/** Gone at once, as in a crash; what it wrote to its append-only file stays. */
		kill: async () => {
			const running = child;
			if (running === null || running.exitCode !== null) {
				return;
			}
			const exited = new Promise((resolve) => running.once('exit', resolve));
			running.kill('SIGKILL');
			await exited;
			child = null;
		},
		/** Starts again on the same port and data, as after a restart or a failover. */
		restart: start,
		stop: async () => {
			const running = child;
			if (running !== null && running.exitCode === null) {
				const exited = new Promise((resolve) => running.once('exit', resolve));
				running.kill('SIGCONT');
				running.kill('SIGKILL');
				await exited;
			}
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
};

export type RedisProcess = Awaited<ReturnType<typeof startRedisProcess>>;
