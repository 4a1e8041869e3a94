import type { Options } from "tsup";

/**
 * How each Node app (gateway, worker, cli) is bundled. Workspace packages export TypeScript
 * source, so they are bundled in; npm dependencies stay external and load from node_modules.
 * Except nodemailer: npm keeps it in packages/core/node_modules (next-auth's optional peer range
 * holds the root's place), out of the apps' reach at run time, so it is bundled in too; it is
 * CommonJS, whose require() of Node's modules needs a require in the ES module's scope.
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
    noExternal: [/^@dsc\//, "nodemailer"],
    banner: {
      js: 'import { createRequire as createRequireForBundledCommonJs } from "node:module"; const require = createRequireForBundledCommonJs(import.meta.url);',
    },
  };
}
