import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset paths, so the built app also works from a sub-folder of any static server.
  base: './',
  worker: { format: 'es' },
  build: {
    // tfjs with four backends and the chart library: one ~1.5 MB chunk (400 KB gzip) is expected.
    chunkSizeWarningLimit: 2000,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        bench: resolve(import.meta.dirname, 'bench.html'),
      },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
