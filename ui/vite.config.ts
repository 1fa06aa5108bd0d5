import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web UI is a static bundle in ui/dist that the API server serves (its `uiDistDir` option).
 * `npm run ui:dev` proxies /api to a running `updraft api-server` (UPDRAFT_API_URL, default :8080)
 * so the UI and the API share one origin, as they do in production (session cookie + CSRF).
 */
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1600 },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env['UPDRAFT_API_URL'] ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
