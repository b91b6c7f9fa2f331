import {MessageChannel} from 'node:worker_threads';
import {backendOverPort, serveBackendOverPort} from '../src/backend/backend-over-port.js';
import {createLocalBackend} from '../src/backend/local/create-local-backend.js';
import {backendConformance} from './backend-conformance.js';

// What `framefarm serve`'s render thread sees: the SQLite backend answered through a MessagePort.
// It must behave exactly as the backend itself, cancellations included.
backendConformance('SQLite through a MessagePort (the render thread)', async (options) => {
	const real = createLocalBackend({file: ':memory:', ...options});
	const {port1, port2} = new MessageChannel();
	const endLink = serveBackendOverPort(real, port1);
	const proxy = backendOverPort(port2);
	return {
		...proxy,
		close: async () => {
			await proxy.close();
			endLink();
			await real.close();
		},
	};
});
