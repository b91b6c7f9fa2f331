import dns from 'node:dns';
import {addressKind} from './address-kind.js';

export type Verdict = {allowed: true} | {allowed: false; reason: string};

export type NetworkPolicy = {
	/**
	 * A request the rendered page makes (fetch, img, iframe, each hop of a redirect); serverOrigin
	 * is Remotion's server for the chunk being rendered.
	 */
	checkRequest: (url: string, serverOrigin: string) => Promise<Verdict>;
	/**
	 * A file Remotion downloads in Node for the page (audio, OffthreadVideo). Synchronous, because
	 * Remotion asks synchronously: an allowed origin's DNS name is not resolved here.
	 */
	checkDownload: (url: string, serverOrigin: string) => Verdict;
};

export type LookupAll = (hostname: string) => Promise<string[]>;

const lookupAll: LookupAll = async (hostname) => (await dns.promises.lookup(hostname, {all: true})).map((entry) => entry.address);

const ALLOWED: Verdict = {allowed: true};
const blocked = (reason: string): Verdict => ({allowed: false, reason});
const DNS_CACHE_MS = 60_000;

const isLocalhostName = (hostname: string): boolean => hostname === 'localhost' || hostname.endsWith('.localhost');

/**
 * What a rendered page may reach: the worker's site server (siteOrigin), Remotion's server for
 * the chunk and the origins in FRAMEFARM_ALLOWED_ORIGINS, nothing else. A listed origin whose DNS
 * name leads to a loopback, private or link-local address is refused; an address the operator
 * listed literally is theirs to allow. Redirects arrive here hop by hop, so a listed origin
 * cannot redirect elsewhere.
 */
export const createNetworkPolicy = ({
	allowedOrigins,
	siteOrigin,
	lookup = lookupAll,
}: {
	allowedOrigins: readonly string[];
	siteOrigin: string;
	lookup?: LookupAll;
}): NetworkPolicy => {
	const allowed = new Set(allowedOrigins);
	const resolved = new Map<string, {at: number; verdict: Promise<Verdict>}>();

	// Everything that can be decided without DNS; 'lookup' names the host still to resolve.
	const classify = (raw: string, serverOrigin: string): Verdict | {lookup: string} => {
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			return blocked('not a valid URL');
		}
		if (url.protocol === 'data:' || url.protocol === 'blob:') {
			return ALLOWED;
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			return blocked(`${url.protocol} URLs are not allowed`);
		}
		if (url.origin === siteOrigin) {
			// Static files of the site, nothing more.
			return ALLOWED;
		}
		if (url.origin === serverOrigin) {
			// Remotion's proxy downloads ?src= in Node (OffthreadVideo): the target is what counts.
			const src = url.pathname === '/proxy' ? url.searchParams.get('src') : null;
			return src === null ? ALLOWED : classify(src, serverOrigin);
		}
		const hostname = url.hostname.replace(/^\[|\]$/g, '');
		const kind = addressKind(hostname);
		if (!allowed.has(url.origin)) {
			const what = kind !== null && kind !== 'public' ? ` (${hostname} is a ${kind} address)` : isLocalhostName(hostname) ? ' (a loopback address)' : '';
			return blocked(`${url.origin} is not in FRAMEFARM_ALLOWED_ORIGINS${what}`);
		}
		if (kind !== null) {
			return ALLOWED;
		}
		if (isLocalhostName(hostname)) {
			return blocked(`${hostname} leads to a loopback address`);
		}
		return {lookup: hostname};
	};

	const checkAddresses = async (hostname: string): Promise<Verdict> => {
		let addresses: string[];
		try {
			addresses = await lookup(hostname);
		} catch {
			return blocked(`${hostname} could not be resolved`);
		}
		for (const address of addresses) {
			const kind = addressKind(address);
			if (kind !== 'public') {
				return blocked(`${hostname} resolves to ${address}, a ${kind ?? 'unknown'} address`);
			}
		}
		return ALLOWED;
	};

	return {
		checkRequest: (url, serverOrigin) => {
			const verdict = classify(url, serverOrigin);
			if (!('lookup' in verdict)) {
				return Promise.resolve(verdict);
			}
			const cached = resolved.get(verdict.lookup);
			if (cached && Date.now() - cached.at < DNS_CACHE_MS) {
				return cached.verdict;
			}
			const fresh = checkAddresses(verdict.lookup);
			resolved.set(verdict.lookup, {at: Date.now(), verdict: fresh});
			return fresh;
		},
		checkDownload: (url, serverOrigin) => {
			const verdict = classify(url, serverOrigin);
			return 'lookup' in verdict ? ALLOWED : verdict;
		},
	};
};
