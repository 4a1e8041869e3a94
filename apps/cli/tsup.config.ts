import { defineConfig } from "tsup";
import { nodeAppBundle } from "../../tsup.base.ts";

export default defineConfig(
  nodeAppBundle({
    "main-admin": "src/main-admin.ts",
    start: "src/main-start.ts",
    "watch-parent": "src/start/watch-parent.ts",
    "forwarded-headers": "src/start/forwarded-headers.ts",
  }),
);
