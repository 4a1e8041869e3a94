#!/usr/bin/env node
// `npm start`: build what changed (turbo caches the rest), then run the supervisor in this
// same process, so that the signals npm forwards reach it directly.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { refuseUnsupportedRuntime } from "./supported-runtime.js";

// before the build: on an old node it would fail with errors that say nothing about the cause
refuseUnsupportedRuntime("npm start");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const turbo = createRequire(path.join(root, "package.json")).resolve("turbo/bin/turbo");
const build = spawnSync(process.execPath, [turbo, "run", "build", "--output-logs=errors-only"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
});
if (build.status !== 0) {
  process.stderr.write("npm start: the build failed (see above)\n");
  process.exit(build.status ?? 1);
}
await import("../dist/start.js");
