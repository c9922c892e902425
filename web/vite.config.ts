// Builds the pages into build/web (served by `rubrica serve`, server/src/web_routes.cc).
// Every script is a same-origin file: no inline script, no eval (the service's CSP).
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: process.env.RUBRICA_WEB_OUT ?? '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Never inline assets as data: URLs into scripts or styles.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2048,
  },
});
