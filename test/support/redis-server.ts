import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { within } from "./fake-upstream.ts";
import { freePort } from "./free-port.ts";

/**
 * The `redis-server` binary for tests that start and stop a Redis of their own: REDIS_SERVER_BIN,
 * else the first one on PATH; null when there is none (those tests skip and say why).
 */
export function findRedisServerBinary(): string | null {
  const configured = process.env.REDIS_SERVER_BIN;
  const candidates = configured
    ? [configured]
    : (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "redis-server"));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export const NO_REDIS_SERVER_REASON =
  "skipped: no redis-server binary (install Redis or set REDIS_SERVER_BIN to start one for this test)";

export interface OwnRedisServer {
  url: string;
  port: number;
  /** stops the server (no save); resolves when the process has exited */
  stop(): Promise<void>;
  /** starts it again on the same port */
  start(): Promise<void>;
  /** stops it for good and removes its folder */
  dispose(): Promise<void>;
}

/** A throwaway Redis on 127.0.0.1 and a free port, without persistence, stopped after the file. */
export async function startOwnRedisServer(binary: string): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), "dsc-redis-"));
  let child: ChildProcess | null = null;
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  const start = async () => {
    const started = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = started;
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      started.stdout?.on("data", (data: Buffer) => {
        output += String(data);
        if (output.includes("Ready to accept connections")) resolve();
      });
      started.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    await within(ready, 10_000, "redis-server start");
  };
  await start();

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await within(exited, 10_000, "redis-server stop");
    child = null;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async dispose() {
      await stop();
      process.removeListener("exit", killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Redis URL for integration tests: the machine's (REDIS_URL, provided to the run), else a
 * server of the test's own when a binary exists, else null. `release` stops an own server.
 */
export async function acquireTestRedis(): Promise<{ url: string; release: () => Promise<void> } | null> {
  const shared = inject("redisUrl");
  if (shared) return { url: shared, release: async () => {} };
  const binary = findRedisServerBinary();
  if (!binary) return null;
  const server = await startOwnRedisServer(binary);
  return { url: server.url, release: server.dispose };
}
