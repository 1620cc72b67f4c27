import { defineConfig } from "vite";

// `npm run dev` proxies the API (coursegen serve on :8000); `npm run build` writes the app into
// the Python package (api/webapp/, committed), which the API serves at / (api/web.py): the app
// works with only Python installed, and the browser test fails when a rebuild differs.
export default defineConfig({
  build: { outDir: "../api/webapp", emptyOutDir: true, sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
