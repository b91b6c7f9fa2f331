import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';

/** The site bundle over HTTP on a port that stays the same for as long as the worker runs. */
export type SiteServer = {
	/** The serve URL for renderMedia(), e.g. http://127.0.0.1:41000/site-20cb7a456df22b79/. */
	url: string;
	/** Its origin, which the worker's request guard lets the page reach. */
	origin: string;
	close: () => Promise<void>;
};

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.wasm': 'application/wasm',
	'.ico': 'image/x-icon',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.woff2': 'font/woff2',
};

/**
 * Serves the site folder the way a CDN serves a Lambda site: from one origin for the worker's
 * whole life, so each chunk's new page loads the bundle from the browser's cache and runs it from
 * V8's code cache. Given a folder, renderMedia() would start a server on a new port per chunk: a
 * new origin every time, nothing cached, and 150-200 ms more before a chunk's first frame.
 * The folder's name is the hash of its contents and is part of every URL, so its files may be
 * cached for good. Only loopback connections are taken.
 */
export const startSiteServer = async (siteDir: string): Promise<SiteServer> => {
	const root = path.resolve(siteDir);
	const prefix = `/${path.basename(root)}/`;

	const server = http.createServer((req, res) => {
		const pathname = decodePath(req.url ?? '');
		const file = pathname?.startsWith(prefix) ? path.join(root, pathname.slice(prefix.length)) : null;
		// path.join() resolves '..': whatever leaves the folder is not there.
		if ((req.method !== 'GET' && req.method !== 'HEAD') || file === null || !file.startsWith(root + path.sep)) {
			res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
			return;
		}
		fs.readFile(file, (err, body) => {
			if (err) {
				res.writeHead(404).end();
				return;
			}
			res.writeHead(200, {
				'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
				'content-length': body.length,
				'cache-control': 'public, max-age=31536000, immutable',
				// Remotion fetches from the page with CORS now and then (its own proxy does the same).
				'access-control-allow-origin': '*',
			});
			res.end(req.method === 'HEAD' ? undefined : body);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({port: 0, host: '127.0.0.1'}, () => resolve());
	});
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: `${origin}${prefix}`,
		origin,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
};

const decodePath = (url: string): string | null => {
	try {
		return decodeURIComponent(new URL(url, 'http://site').pathname);
	} catch {
		return null;
	}
};
