import { defineConfig } from "tsup";

// Workspace packages export TypeScript source, so they are bundled in; npm dependencies
// stay external and load from node_modules.
export default defineConfig({
  entry: {
    "main-admin": "src/main-admin.ts",
    start: "src/main-start.ts",
    "watch-parent": "src/start/watch-parent.ts",
    "forwarded-headers": "src/start/forwarded-headers.ts",
  },
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  skipNodeModulesBundle: true,
  noExternal: [/^@dsc\//],
});
