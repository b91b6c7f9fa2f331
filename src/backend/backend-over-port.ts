import type {MessagePort} from 'node:worker_threads';
import type {Backend} from './backend.js';

// Every method but the two that are not plain calls: onCancel is a subscription, close ends the link.
type CallableMethod = Exclude<keyof Backend, 'onCancel' | 'close' | 'problem'>;

type Request = {id: number; method: CallableMethod; args: unknown[]};
type Message =
	| {type: 'result'; id: number; value: unknown}
	| {type: 'failure'; id: number; name: string; message: string}
	| {type: 'cancel'; renderId: string};

/**
 * Answers calls that backendOverPort() makes on the other side of a MessagePort with the real
 * backend, and forwards its cancellations. Returns a function that ends the link.
 */
export const serveBackendOverPort = (backend: Backend, port: MessagePort): (() => void) => {
	const onRequest = ({id, method, args}: Request) => {
		const call = backend[method] as (...params: unknown[]) => Promise<unknown>;
		call(...args).then(
			(value) => port.postMessage({type: 'result', id, value} satisfies Message),
			(err: unknown) => {
				const error = err instanceof Error ? err : new Error(String(err));
				port.postMessage({type: 'failure', id, name: error.name, message: error.message} satisfies Message);
			},
		);
	};
	port.on('message', onRequest);
	const unsubscribe = backend.onCancel((renderId) => port.postMessage({type: 'cancel', renderId} satisfies Message));
	return () => {
		unsubscribe();
		port.off('message', onRequest);
		port.close();
	};
};

/**
 * The backend as seen from a worker thread: each call is answered by serveBackendOverPort() on
 * the thread that owns the real one (SQLite's connection, the Redis clients), so rendering can
 * run on a thread of its own without a second copy of the queue's state.
 */
export const backendOverPort = (port: MessagePort): Backend => {
	let nextId = 0;
	const pending = new Map<number, {resolve: (value: unknown) => void; reject: (err: Error) => void}>();
	const cancelListeners = new Set<(renderId: string) => void>();

	port.on('message', (message: Message) => {
		if (message.type === 'cancel') {
			for (const listener of cancelListeners) {
				listener(message.renderId);
			}
			return;
		}
		const call = pending.get(message.id);
		pending.delete(message.id);
		if (message.type === 'result') {
			call?.resolve(message.value);
		} else {
			call?.reject(Object.assign(new Error(message.message), {name: message.name}));
		}
	});

	const send =
		(method: CallableMethod) =>
		(...args: unknown[]): Promise<unknown> =>
			new Promise((resolve, reject) => {
				const id = nextId++;
				pending.set(id, {resolve, reject});
				port.postMessage({id, method, args} satisfies Request);
			});

	const methods: Record<CallableMethod, true> = {
		submitRender: true,
		getRender: true,
		getChunks: true,
		getQueuePositions: true,
		listRenders: true,
		countQueued: true,
		countRenders: true,
		cancelRender: true,
		appendLog: true,
		addError: true,
		claimWebhook: true,
		completeWebhook: true,
		listFinishedBefore: true,
		deleteRender: true,
		getLog: true,
		claimTask: true,
		waitForWork: true,
		reportChunkProgress: true,
		completeChunk: true,
		releaseTask: true,
		failChunk: true,
		reportStitchProgress: true,
		completeRender: true,
		failRender: true,
	};
	const calls = Object.fromEntries(Object.keys(methods).map((method) => [method, send(method as CallableMethod)]));

	return {
		...(calls as Omit<Backend, 'onCancel' | 'close' | 'problem'>),
		// The render thread's backend is the serve process's SQLite, which has no outages.
		problem: () => null,
		onCancel: (listener) => {
			cancelListeners.add(listener);
			return () => cancelListeners.delete(listener);
		},
		close: async () => {
			for (const call of pending.values()) {
				call.reject(new Error('The backend link is closed'));
			}
			pending.clear();
			port.close();
		},
	};
};
