import { defineConfig } from "vite";

// Rollup's bundler helpers (`\0vite/preload-helper`, `\0commonjsHelpers.js`) are virtual modules
// with no file of ours behind them.
const thirdParty = (id: string): boolean => id.includes("/node_modules/") || id.startsWith("\0");

// `npm run dev` proxies the API (coursegen serve on :8000); `npm run build` writes the app into
// the Python package (api/webapp/, committed), which the API serves at / (api/web.py): the app
// works with only Python installed, and the browser test fails when a rebuild differs.
// Chunks made only of third-party modules (mermaid's lazily loaded diagrams) go to
// assets/vendor/, so the committed build keeps our code and what we ship of others apart.
export default defineConfig({
  build: {
    outDir: "../api/webapp", emptyOutDir: true, sourcemap: false,
    rollupOptions: {
      output: {
        chunkFileNames: (chunk) => chunk.moduleIds.length > 0 && chunk.moduleIds.every(thirdParty)
          ? "assets/vendor/[name]-[hash].js" : "assets/[name]-[hash].js",
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
