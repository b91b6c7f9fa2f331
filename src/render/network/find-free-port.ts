import net from 'node:net';

/** A port free on this machine now, for Remotion's per-chunk server (so its origin is known up front). */
export const findFreePort = (): Promise<number> =>
	new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
