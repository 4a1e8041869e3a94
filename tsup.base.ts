import type { Options } from "tsup";

/**
 * How each Node app (gateway, worker, cli) is bundled. Workspace packages export TypeScript
 * source, so they are bundled in; npm dependencies stay external and load from node_modules.
 */
export function nodeAppBundle(entry: Options["entry"]): Options {
  return {
    entry,
    format: "esm",
    platform: "node",
    target: "node22",
    sourcemap: true,
    clean: true,
    skipNodeModulesBundle: true,
    noExternal: [/^@dsc\//],
  };
}
