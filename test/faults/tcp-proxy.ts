import net from 'node:net';

/**
 * A loopback TCP proxy in front of a server (the S3 endpoint), for taking it away and bringing it
 * back on the same address: `cut()` drops every connection and refuses new ones, `restore()`
 * listens again on the same port.
 */
export const startTcpProxy = async (target: {host: string; port: number}) => {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(target.port, target.host);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => undefined);
		}
		client.pipe(upstream).pipe(client);
	});
	const listen = (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
	await listen(0);
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		cut: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) {
					socket.destroy();
				}
			});
		},
		restore: () => listen(port),
		close: async () => {
			for (const socket of sockets) {
				socket.destroy();
			}
			if (server.listening) {
				await new Promise<void>((resolve) => server.close(() => resolve()));
			}
		},
	};
};
