import type {ServerOptions} from '../client/request-json.js';
import {clientEnvironment} from '../config/client-environment.js';

/**
 * What framefarm's Lambda functions take besides Lambda's own options: the farm to reach. Left
 * out, FRAMEFARM_SERVER_URL and FRAMEFARM_API_KEY apply. (`apiKey` was Lambda's deprecated name
 * for the Remotion license key; here it is the farm's API key.)
 */
export type FarmConnection = {serverUrl?: string; apiKey?: string | null};

export const farmOf = ({serverUrl, apiKey}: FarmConnection): ServerOptions => {
	const env = clientEnvironment();
	const server = serverUrl ?? env.serverUrl;
	const key = apiKey ?? env.apiKey;
	if (server === undefined || key === undefined) {
		throw new TypeError('framefarm/lambda needs the farm to reach: pass serverUrl and apiKey, or set FRAMEFARM_SERVER_URL and FRAMEFARM_API_KEY');
	}
	return {serverUrl: server.replace(/\/+$/, ''), apiKey: key};
};
