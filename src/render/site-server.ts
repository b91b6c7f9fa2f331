import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';

/** Site bundles over HTTP on a port that stays the same for as long as the worker runs. */
export type SiteServer = {
	/** The serve URL of a site folder of the cache dir for renderMedia(), e.g. http://127.0.0.1:41000/site-20cb7a456df22b79/. */
	urlOf: (folder: string) => string;
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
	'.woff': 'font/woff',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
	'.mp3': 'audio/mpeg',
	'.wav': 'audio/wav',
	'.aac': 'audio/aac',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm',
	'.txt': 'text/plain; charset=utf-8',
};

// The folders of the cache dir that hold a finished bundle: named by the hash of their contents.
const SITE_FOLDER = /^site-[0-9a-f]{16,64}$/;

/**
 * Serves the site folders of the cache dir the way a CDN serves a Lambda site: from one origin for the worker's
 * whole life, so each chunk's new page loads the bundle from the browser's cache and runs it from
 * V8's code cache. Given a folder, renderMedia() would start a server on a new port per chunk: a
 * new origin every time, nothing cached, and 150-200 ms more before a chunk's first frame.
 * A folder's name is the hash of its contents and is part of every URL, so its files may be
 * cached for good: the built-in site (bundleSite()) and deployed sites (the site cache).
 * Only loopback connections are taken.
 */
export const startSiteServer = async (cacheDir: string): Promise<SiteServer> => {

	const server = http.createServer((req, res) => {
		const pathname = decodePath(req.url ?? '');
		const [, folder = '', ...rest] = (pathname ?? '').split('/');
		const root = path.join(path.resolve(cacheDir), folder);
		const file = pathname !== null && SITE_FOLDER.test(folder) && rest.length > 0 ? path.join(root, ...rest) : null;
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
		urlOf: (folder) => `${origin}/${folder}/`,
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
