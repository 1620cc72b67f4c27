import { defineConfig } from "vite";

// `npm run dev` proxies the API (coursegen serve on :8000); `npm run build` writes dist/,
// which the API serves at / (api/web.py).
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
