/*
 * The dashboard's build: static files in WAQTOR_WEB_OUT (the build tree's
 * web/dist, set by Makefile.am), or web/dist. `npm run dev` serves it with
 * hot reload against a running stack (WAQTOR_URL, default the port
 * ./waqtor up uses).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { themes } from './build/themes';

const stack = process.env.WAQTOR_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [react(), themes()],
	build: {
		outDir: process.env.WAQTOR_WEB_OUT ?? 'dist',
		emptyOutDir: true,
		target: 'es2020',
		sourcemap: false,
		reportCompressedSize: false,
		chunkSizeWarningLimit: 800, // bench/web.mjs measures the budget (gzipped)
	},
	server: {
		proxy: {
			'/api': stack,
			'/socket.io': { target: stack, ws: true },
		},
	},
});
