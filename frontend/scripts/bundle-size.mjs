// The initial JavaScript of the built app (the entry script and the chunks index.html preloads), gzipped.
// Fails the build above the budget of 250 KB so that a heavy dependency cannot slip in unnoticed.
// GraphiQL (graphiql.html) is a separate entry: its size is printed for information and never counts here.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET = 250 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;

function initialJs(page, quiet = false) {
  const html = readFileSync(join(dist, page), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g),
  ].map((m) => m[1]);
  let total = 0;
  for (const f of new Set(files)) {
    const size = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
    total += size;
    if (!quiet) console.log(`  ${f}  ${(size / 1024).toFixed(1)} KB gzipped`);
  }
  return { files: new Set(files), total };
}

const main = initialJs("index.html");
console.log(`initial JavaScript: ${(main.total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (existsSync(join(dist, "graphiql.html"))) {
  const g = initialJs("graphiql.html", true);
  const own = [...g.files].filter((f) => !main.files.has(f));
  const ownSize = own.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  console.log(
    `GraphiQL entry (separate page, not in the budget): ${(g.total / 1024).toFixed(1)} KB gzipped initial JavaScript, ` +
      `${(ownSize / 1024).toFixed(1)} KB of it its own`,
  );
}
if (main.total > BUDGET) {
  console.error("over the budget: split the new code into a lazy route or drop the dependency");
  process.exit(1);
}
