import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import fastifyStatic from '@fastify/static';
import type {FastifyInstance} from 'fastify';
import {HttpError} from '../http-error.js';

// The dashboard as `npm run build` leaves it (web/, built by Vite), the same from src/ and dist/.
const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/**
 * Serves the dashboard at /: static files only, every figure on its pages comes through the
 * authenticated API. Vite names assets by their content, so they are cached for good; the page
 * itself is checked each time.
 */
export const registerDashboard = async (app: FastifyInstance): Promise<void> => {
	if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
		app.get('/', {schema: {hide: true}}, async () => {
			throw new HttpError(404, 'dashboard_not_built', 'The dashboard is not built: run npm run build (npm install builds it too)');
		});
		return;
	}
	await app.register(fastifyStatic, {
		root: WEB_ROOT,
		wildcard: false,
		setHeaders: (response, file) => {
			response.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
		},
	});
};
