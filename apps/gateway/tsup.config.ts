import { defineConfig } from "tsup";
import { nodeAppBundle } from "../../tsup.base.ts";

// The text-work pool's threads load dist/text-work-worker.js, beside the bundle that starts them.
export default defineConfig(
  nodeAppBundle({
    server: "src/server.ts",
    "text-work-worker": "../../packages/core/src/text-work/text-work-worker.ts",
  }),
);
