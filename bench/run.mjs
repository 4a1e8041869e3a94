// Runs every benchmark in this folder in turn (`npm run bench`): files named *.bench.mjs,
// *.bench.js or *.bench.ts (through tsx). Pass names to run some: `npm run bench -- files`.
// `--runtimes=machine,project [--passes=2]` instead compares Node.js runtimes on the gateway
// overhead and hostile-input benchmarks (see support/compare-runtimes.mjs).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compareRuntimes, runtimeOptions } from "./support/compare-runtimes.mjs";

const folder = path.dirname(fileURLToPath(import.meta.url));
const options = runtimeOptions(process.argv.slice(2));
const wanted = options.names;
const benchmarks = readdirSync(folder)
  .filter((name) => /\.bench\.(mjs|js|ts)$/.test(name))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

/** Runs each benchmark in its own process; returns how many failed. */
function runEach(names) {
  let failed = 0;
  for (const name of names) {
    process.stderr.write(`\n=== ${name}\n`);
    const loader = name.endsWith(".ts") ? ["--import", "tsx"] : [];
    const result = spawnSync(process.execPath, [...loader, path.join(folder, name)], { stdio: "inherit" });
    if (result.status !== 0) {
      failed += 1;
      process.stderr.write(`=== ${name} failed (${result.status ?? result.signal})\n`);
    }
  }
  return failed;
}

const failed = options.runtimes ? await compareRuntimes(options) : runEach(benchmarks);
if (benchmarks.length === 0 && !options.runtimes) process.stderr.write("no benchmarks matched\n");
else {
  // the benchmarks write their tables as they come; the formatter lines up their columns, as
  // `npm run lint` expects of every Markdown file
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const report = path.join(folder, "..", "docs", "benchmarks.md");
  spawnSync(process.execPath, [biome, "format", "--write", report], { stdio: "inherit" });
}
process.exit(failed > 0 ? 1 : 0);
