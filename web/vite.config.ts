import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";

// The API's /docs (Swagger UI) and /redoc pages load these from assets/vendor/ (api/docs.py), so
// they work offline instead of fetching a CDN's copy: the npm packages' prebuilt bundles, as is.
const API_DOCS: Record<string, string> = {
  "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "swagger-ui-favicon.png": "swagger-ui-dist/favicon-32x32.png",
  "swagger-ui.LICENSE.txt": "swagger-ui-dist/LICENSE",
  "redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
  "redoc.LICENSE.txt": "redoc/LICENSE",
};
const apiDocsAssets = (): Plugin => ({
  name: "api-docs-assets",
  generateBundle() {
    for (const [name, path] of Object.entries(API_DOCS)) {
      const source = readFileSync(new URL(`./node_modules/${path}`, import.meta.url));
      this.emitFile({ type: "asset", fileName: `assets/vendor/${name}`, source });
    }
  },
});

// Rollup's bundler helpers (`\0vite/preload-helper`, `\0commonjsHelpers.js`) are virtual modules
// with no file of ours behind them.
const thirdParty = (id: string): boolean => id.includes("/node_modules/") || id.startsWith("\0");

// `npm run dev` proxies the API (coursegen serve on :8000); `npm run build` writes the app into
// the Python package (api/webapp/, committed), which the API serves at / (api/web.py): the app
// works with only Python installed, and the browser test fails when a rebuild differs.
// Chunks made only of third-party modules (mermaid's lazily loaded diagrams) go to
// assets/vendor/, so the committed build keeps our code and what we ship of others apart.
export default defineConfig({
  plugins: [apiDocsAssets()],
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
