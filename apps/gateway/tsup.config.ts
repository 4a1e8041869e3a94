import { defineConfig } from "tsup";

// Workspace packages export TypeScript source, so they are bundled in; npm dependencies
// stay external and load from node_modules. The text-work pool's threads load
// dist/text-work-worker.js, beside the bundle that starts them.
export default defineConfig({
  entry: {
    server: "src/server.ts",
    "text-work-worker": "../../packages/core/src/text-work/text-work-worker.ts",
  },
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  skipNodeModulesBundle: true,
  noExternal: [/^@dsc\//],
});
