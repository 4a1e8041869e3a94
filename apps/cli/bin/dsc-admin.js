#!/usr/bin/env node
// The built CLI lives in dist/ (npm start and npm run build make it).
import { existsSync } from "node:fs";
import { refuseUnsupportedRuntime } from "./supported-runtime.js";

refuseUnsupportedRuntime("dsc-admin");

const entry = new URL("../dist/main-admin.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("dsc-admin: not built yet; run `npm run build` (npm start builds too)\n");
  process.exit(1);
}
await import(entry.href);
