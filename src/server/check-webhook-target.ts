import dns from 'node:dns';
import {addressKind} from '../render/network/address-kind.js';
import {HttpError} from './http-error.js';

const refused = (message: string) => new HttpError(400, 'invalid_webhook', `webhook.url ${message}`);

/**
 * A webhook goes out from inside the farm's network, so a target on a loopback, private or
 * link-local address (directly or through its DNS name) is refused at submit time, unless its
 * host is listed in FRAMEFARM_ALLOWED_WEBHOOK_HOSTS.
 */
export const checkWebhookTarget = async (
	raw: string,
	allowedHosts: readonly string[],
	lookup: (hostname: string) => Promise<string[]> = async (hostname) => (await dns.promises.lookup(hostname, {all: true})).map((entry) => entry.address),
): Promise<void> => {
	const url = new URL(raw);
	const hostname = url.hostname.replace(/^\[|\]$/g, '');
	if (allowedHosts.includes(url.host) || allowedHosts.includes(hostname)) {
		return;
	}
	const literal = addressKind(hostname);
	if (literal !== null && literal !== 'public') {
		throw refused(`points at ${hostname}, a ${literal} address; list its host in FRAMEFARM_ALLOWED_WEBHOOK_HOSTS to allow it`);
	}
	if (literal === null) {
		if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
			throw refused(`points at ${hostname}, a loopback address; list its host in FRAMEFARM_ALLOWED_WEBHOOK_HOSTS to allow it`);
		}
		let addresses: string[];
		try {
			addresses = await lookup(hostname);
		} catch {
			throw refused(`has a host that does not resolve: ${hostname}`);
		}
		for (const address of addresses) {
			const kind = addressKind(address);
			if (kind !== 'public') {
				throw refused(`host ${hostname} resolves to ${address}, a ${kind ?? 'unknown'} address; list it in FRAMEFARM_ALLOWED_WEBHOOK_HOSTS to allow it`);
			}
		}
	}
};
