import {loadConfig} from '../config/load-config.js';
import {readStoredApiKey} from '../server/load-api-keys.js';
import {UsageError} from './usage-error.js';

/** The server and key the CLI talks to as a client. */
export const clientOptions = (values: {server?: string; 'api-key'?: string; 'data-dir'?: string}) => {
	const config = loadConfig({serverUrl: values.server, apiKey: values['api-key'], dataDir: values['data-dir']});
	const apiKey = config.clientApiKey ?? readStoredApiKey(config.dataDir);
	if (apiKey === null) {
		throw new UsageError('No API key: pass --api-key or set FRAMEFARM_API_KEY (serve prints its key when it starts).');
	}
	return {serverUrl: config.serverUrl, apiKey};
};
