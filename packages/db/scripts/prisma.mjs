#!/usr/bin/env node
// Runs the Prisma CLI from the repository root with the WebAssembly engines.
//
// With `engine: "js"` in prisma.config.ts the CLI never executes its native engines, but it
// still checks that they exist and otherwise tries to download them, which fails offline.
// Pointing the two variables at an existing file satisfies the check and is harmless where
// the engines could be downloaded, since they are never run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const require = createRequire(path.join(root, "package.json"));
const prismaCli = require.resolve("prisma/build/index.js");
const placeholder = prismaCli;

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
for (const name of ["PRISMA_SCHEMA_ENGINE_BINARY", "PRISMA_QUERY_ENGINE_LIBRARY"]) {
  if (!env[name] || !existsSync(env[name])) env[name] = placeholder;
}

const result = spawnSync(process.execPath, [prismaCli, ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
