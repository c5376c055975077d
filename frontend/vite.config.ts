import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The SPA talks to /graphql on its own origin; in development the dev server forwards it to the Python app.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { "/graphql": "http://127.0.0.1:8000", "/auth": "http://127.0.0.1:8000", "/healthz": "http://127.0.0.1:8000" },
  },
  build: { outDir: "dist", sourcemap: false, target: "es2022", chunkSizeWarningLimit: 700 },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
