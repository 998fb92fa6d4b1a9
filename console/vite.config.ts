import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served at /console/ (by the app locally, by CloudFront from S3 in AWS). Every emitted file except
// index.html is content-hashed under assets/, which both servers cache for a year.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Keeps the CSP strict: no asset is ever inlined as a data: URL into scripts.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    sourcemap: false,
  },
  server: {
    // `vite --config console/vite.config.ts` for live editing against an app on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000', '/mcp': 'http://127.0.0.1:3000' },
  },
});
