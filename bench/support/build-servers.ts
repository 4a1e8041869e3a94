import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { nodeAppBundle } from "../../tsup.base.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** the gateway's bundle, as `npm start` runs it */
export const GATEWAY_SERVER = "apps/gateway/dist/server.js";
/** the bare pass-through's bundle (bench/limits/bare-server.ts) */
export const BARE_SERVER = path.join(ROOT, "bench/limits/dist/bare-server.js");
/** the same pass-through on Fastify (bench/limits/fastify-server.ts), the framework's floor */
export const FASTIFY_SERVER = path.join(ROOT, "bench/limits/dist/fastify-server.js");

/**
 * The servers as deployed: the gateway is built the way `npm start` builds it (its tsup bundle,
 * apps/gateway/dist), and the two pass-throughs (plain Node, Fastify) are bundled with the same
 * options (tsup.base.ts), so that all of them run on plain node without a TypeScript loader.
 */
export async function buildServers(log: (message: string) => void): Promise<void> {
  log("building the gateway (npm run build -w @dsc/gateway) and the pass-throughs");
  const built = spawnSync("npm", ["run", "build", "-w", "@dsc/gateway"], { cwd: ROOT, stdio: "ignore" });
  if (built.status !== 0) throw new Error(`the gateway's build failed (${built.status ?? built.signal})`);
  await build({
    ...nodeAppBundle({
      "bare-server": path.join(ROOT, "bench/limits/bare-server.ts"),
      "fastify-server": path.join(ROOT, "bench/limits/fastify-server.ts"),
    }),
    config: false,
    outDir: path.dirname(BARE_SERVER),
    sourcemap: false,
    silent: true,
  });
}
