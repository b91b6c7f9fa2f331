/**
 * Where the Lambda-style client reaches the farm when a call does not say: FRAMEFARM_SERVER_URL and
 * FRAMEFARM_API_KEY. Read without assuming Node: the client runs in edge runtimes too, where
 * there may be no process.
 */
export const clientEnvironment = (): {serverUrl: string | undefined; apiKey: string | undefined} => {
	const env = (globalThis as {process?: {env?: Record<string, string | undefined>}}).process?.env ?? {};
	return {serverUrl: env.FRAMEFARM_SERVER_URL, apiKey: env.FRAMEFARM_API_KEY};
};
