import { defineConfig, type Plugin } from "vitest/config";
import react from "@vitejs/plugin-react";

// GraphiQL's page declares a strict Content-Security-Policy in the build (in development the React refresh
// preamble is an inline script, so it would not run there). Everything comes from this origin: scripts, the
// Monaco workers, fonts; styles may be inline because Monaco writes <style> elements at runtime.
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

function graphiqlCsp(): Plugin {
  return {
    name: "graphiql-csp",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        if (!ctx.filename.endsWith("graphiql.html")) return html;
        return html.replace(/(<meta charset="UTF-8" \/>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${GRAPHIQL_CSP}" />`);
      },
    },
  };
}

// The SPA talks to /graphql on its own origin; in development the dev server forwards it to the Python app.
// Two entries: index.html (the reps' app, budgeted by scripts/bundle-size.mjs) and graphiql.html (analysts).
export default defineConfig({
  plugins: [react(), graphiqlCsp()],
  server: {
    port: 5173,
    proxy: {
      "/graphql": "http://127.0.0.1:8000",
      "/auth": "http://127.0.0.1:8000",
      "/export": "http://127.0.0.1:8000",
      "/healthz": "http://127.0.0.1:8000",
    },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      input: { main: "index.html", graphiql: "graphiql.html" },
      // GraphiQL's packages carry React-compiler directives ("use no memo") that bundling drops harmlessly
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  worker: { format: "es" },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
