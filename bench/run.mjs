// Runs every benchmark in this folder in turn (`npm run bench`): files named *.bench.mjs,
// *.bench.js or *.bench.ts (through tsx). Pass names to run some: `npm run bench -- files`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const folder = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benchmarks = readdirSync(folder)
  .filter((name) => /\.bench\.(mjs|js|ts)$/.test(name))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

let failed = 0;
for (const name of benchmarks) {
  process.stderr.write(`\n=== ${name}\n`);
  const loader = name.endsWith(".ts") ? ["--import", "tsx"] : [];
  const result = spawnSync(process.execPath, [...loader, path.join(folder, name)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`=== ${name} failed (${result.status ?? result.signal})\n`);
  }
}
if (benchmarks.length === 0) process.stderr.write("no benchmarks matched\n");
else {
  // the benchmarks write their tables as they come; the formatter lines up their columns, as
  // `npm run lint` expects of every Markdown file
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const report = path.join(folder, "..", "docs", "benchmarks.md");
  spawnSync(process.execPath, [biome, "format", "--write", report], { stdio: "inherit" });
}
process.exit(failed > 0 ? 1 : 0);
