import type {HeadlessBrowser} from '@remotion/renderer';

/**
 * Remotion kills its browsers when the process gets SIGTERM, and a browser may crash or be killed
 * at any time. Its connection then answers the DevTools commands in flight with "Target closed",
 * but some waits never end: a browser-level command sent after the connection closed (it is
 * dropped, never answered), and a tab waiting for the browser to announce it opened, or closed. A
 * slot opening its blank tab, or closing a kept one, at the moment of a SIGTERM hung there, and
 * the worker's graceful stop with it. These two helpers end such waits when the browser's
 * DevTools connection closes.
 */

type Socket = {
	readyState: number;
	addEventListener: (event: 'close', listener: () => void) => void;
	removeEventListener: (event: 'close', listener: () => void) => void;
};

type Connection = {
	send: (method: string, ...params: unknown[]) => Promise<unknown>;
	transport: {websocket: Socket};
};

const OPEN = 1;

const connectionOf = (browser: HeadlessBrowser) => browser.connection as unknown as Connection;

const goneError = (what: string) => new Error(`${what}: the browser is gone (its DevTools connection closed)`);

/** Makes every browser-level command sent once the connection is closed fail at once. */
export const failCommandsWhenGone = (browser: HeadlessBrowser): void => {
	const connection = connectionOf(browser);
	const send = connection.send.bind(connection);
	connection.send = (method, ...params) =>
		connection.transport.websocket.readyState === OPEN ? send(method, ...params) : Promise.reject(goneError(`Protocol error (${method})`));
};

/** `work`, or an error naming `what` as soon as the browser is gone. */
export const unlessGone = <T>(browser: HeadlessBrowser, work: Promise<T>, what: string): Promise<T> => {
	const socket = connectionOf(browser).transport.websocket;
	if (socket.readyState !== OPEN) {
		work.catch(() => undefined);
		return Promise.reject(goneError(what));
	}
	return new Promise<T>((resolve, reject) => {
		const onClose = () => reject(goneError(what));
		socket.addEventListener('close', onClose);
		work.then(resolve, reject).finally(() => socket.removeEventListener('close', onClose));
	});
};
