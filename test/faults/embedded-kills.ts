import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import type {RenderProgress} from '../../src/progress/progress-schemas.js';
import {api, makeTempDir, readExample, sleep, startServe, type ServeProcess} from '../helpers.js';
import {framesOfOutput} from './render-outcome.js';

/** A webhook receiver that holds its first delivery unanswered (as if slow) and answers later ones. */
const startHoldingReceiver = async () => {
	const deliveries: {at: number; answered: boolean; body: string}[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			const delivery = {at: Date.now(), answered: false, body};
			deliveries.push(delivery);
			if (deliveries.length > 1) {
				delivery.answered = true;
				res.writeHead(200).end('ok');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		deliveries,
		close: () => {
			server.closeAllConnections();
			server.close();
		},
	};
};

const logOf = async (server: ServeProcess, id: string) =>
	(await fetch(`${server.url}/api/render/${id}/log`, {headers: {authorization: 'Bearer kill-key'}})).text();

const kill = async (server: ServeProcess) => {
	const exited = new Promise((resolve) => server.child.once('exit', resolve));
	server.child.kill('SIGKILL');
	await exited;
};

/**
 * `framefarm serve` (embedded) SIGKILLed twice during one render: while it stitches, and while
 * it holds the render's webhook unanswered by its receiver; restarted on the same data dir each
 * time. Reports what the render and the receiver saw.
 */
export const killServeMidStitchAndWebhook = async ({frames = 600, framesPerChunk = 150} = {}) => {
	const dir = makeTempDir();
	const dataDir = path.join(dir, 'data');
	const receiver = await startHoldingReceiver();
	const env = {FRAMEFARM_CONCURRENCY: '2', FRAMEFARM_API_KEYS: 'kill-key', FRAMEFARM_ALLOWED_WEBHOOK_HOSTS: '127.0.0.1'};
	let server = await startServe({dataDir, env});
	try {
		const submitted = await api(server, 'POST', '/api/render', {
			inputProps: {code: readExample('title-card.tsx'), durationInFrames: frames, fps: 30},
			width: 320,
			height: 180,
			framesPerChunk,
			webhook: {url: receiver.url, secret: 'hook-secret', customData: {order: 1}},
		});
		const id = submitted.body.renderId as string;
		// Killed as soon as its log says it stitches (its chunks done, the output not yet stored). The
		// log, not encodingStatus, is watched: encodingStatus is set when the last chunk is done, a
		// moment before the stitch starts, and a kill there is a kill between chunks, not mid-stitch.
		let killedWhileStitching = false;
		for (let i = 0; i < 20_000; i++) {
			const progress = (await api(server, 'GET', `/api/render/${id}/progress`)).body as RenderProgress;
			if (progress.done) {
				break;
			}
			if (progress.encodingStatus !== null && (await logOf(server, id)).includes('stitching on')) {
				await kill(server);
				killedWhileStitching = true;
				break;
			}
			await sleep(5);
		}
		server = await startServe({dataDir, env});
		// The webhook goes out once the render is done; the receiver holds it, and the server dies holding it.
		for (let i = 0; i < 1200 && receiver.deliveries.length === 0; i++) {
			await sleep(50);
		}
		const heldBeforeKill = receiver.deliveries.length;
		await kill(server);
		server = await startServe({dataDir, env});
		for (let i = 0; i < 600 && !receiver.deliveries.some((d) => d.answered); i++) {
			await sleep(50);
		}
		// Time for any further delivery that should not come.
		await sleep(3000);
		const status = (await api(server, 'GET', `/api/render/${id}`)).body as {type: string; url?: string};
		const log = await logOf(server, id);
		return {
			killedWhileStitching,
			status: status.type,
			frames: status.url ? await framesOfOutput(status.url) : 0,
			heldBeforeKill,
			deliveries: receiver.deliveries.length,
			answered: receiver.deliveries.filter((d) => d.answered).length,
			payloads: receiver.deliveries.map((d) => JSON.parse(d.body) as {type: string; renderId: string; customData: unknown}),
			log,
		};
	} finally {
		await server.stop().catch(() => undefined);
		receiver.close();
	}
};
