import { defineConfig } from "tsup";
import { nodeAppBundle } from "../../tsup.base.ts";

export default defineConfig(nodeAppBundle(["src/main.ts"]));
