import {fileURLToPath} from 'node:url';
import react from '@vitejs/plugin-react';
import {defineConfig} from 'vite';

// The dashboard: built into dist/web by `npm run build` (and `npm install`), served by
// `framefarm serve` at /. Everything is bundled: the pages work offline.
export default defineConfig({
	root: fileURLToPath(new URL('.', import.meta.url)),
	base: '/',
	plugins: [react()],
	build: {
		outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
		emptyOutDir: true,
		chunkSizeWarningLimit: 4096,
	},
	logLevel: 'warn',
});
