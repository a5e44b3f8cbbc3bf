import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The agent console: a static single-page app served at /console/ (locally by `npm start`, on AWS
 * from S3 behind CloudFront). Where the API lives and how people sign in is read at run time from
 * config.json next to index.html, so one build serves every deployment.
 */
export const consoleRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: consoleRoot,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npx vite console` proxies the API to a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000', '/status': 'http://127.0.0.1:3000', '/survey': 'http://127.0.0.1:3000' },
  },
});
