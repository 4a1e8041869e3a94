import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/support/free-port.ts";
import { type Placement, type Running, start } from "../support/processes.ts";

/** The peer gateway the overhead benchmark compares with, from npm, never a dependency of the product. */
export const PORTKEY_VERSION = "1.15.2";
/** its streams fail with "TypeError: immutable" under later @hono/node-server releases */
const HONO_NODE_SERVER_VERSION = "1.13.5";

const LOOPBACK_ONLY = path.join(path.dirname(fileURLToPath(import.meta.url)), "loopback-only.mjs");

/** BENCH_PORTKEY_DIR, else a folder of the user's cache, outside the repository. */
export function portkeyDir(): string {
  return (
    process.env.BENCH_PORTKEY_DIR ??
    path.join(os.homedir(), ".cache", "dsc-bench", `portkey-${PORTKEY_VERSION}`)
  );
}

function installedVersion(dir: string, name: string): string | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

/**
 * The Portkey gateway's start script, installed into `dir` on first use (the benchmark's only
 * network use); a sentence saying why not when it cannot be.
 */
export async function ensurePortkey(
  dir: string,
  log: (message: string) => void,
): Promise<{ entry: string } | { unavailable: string }> {
  const entry = path.join(dir, "node_modules/@portkey-ai/gateway/build/start-server.js");
  const isInstalled = () =>
    existsSync(entry) &&
    installedVersion(dir, "@portkey-ai/gateway") === PORTKEY_VERSION &&
    installedVersion(dir, "@hono/node-server") === HONO_NODE_SERVER_VERSION;
  if (isInstalled()) return { entry };
  log(`installing @portkey-ai/gateway ${PORTKEY_VERSION} into ${dir} (once)`);
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: "dsc-bench-portkey",
    private: true,
    description: "The peer gateway of the overhead benchmark, installed by it",
    dependencies: { "@portkey-ai/gateway": PORTKEY_VERSION },
    overrides: { "@hono/node-server": HONO_NODE_SERVER_VERSION },
  };
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // --ignore-scripts: its postinstall runs patch-package on patches it does not publish
  const installed = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 300_000,
  });
  if (installed.status !== 0 || !isInstalled()) {
    const why = installed.error?.message ?? installed.stderr?.trim().split("\n").slice(-3).join(" ");
    return { unavailable: `npm install failed (${installed.status ?? installed.signal}): ${why}` };
  }
  return { entry };
}

/**
 * Portkey's own start script (`build/start-server.js`, its package's bin) on a free port, headless
 * (no log UI), held to 127.0.0.1 by a preloaded module since it takes no host.
 */
export async function startPortkey(entry: string, placement: Placement): Promise<Running> {
  const port = await freePort();
  const running = await start(
    ["--import", LOOPBACK_ONLY, entry, `--port=${port}`, "--headless"],
    {},
    /(Ready for connections)/,
    placement,
    { traceGc: true },
  );
  return { ...running, url: `http://127.0.0.1:${port}` };
}

/** How a request goes through Portkey to an OpenAI-compatible upstream at `upstreamBaseUrl` (…/v1). */
export function portkeyHeaders(upstreamBaseUrl: string): Record<string, string> {
  return {
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": upstreamBaseUrl,
    authorization: "Bearer x",
  };
}
