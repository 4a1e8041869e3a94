import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import { createOrgWithKey, TEST_PEPPER } from "../testing/start-test-gateway.ts";

/**
 * The real server process (src/server.ts under tsx): usage events that wait in its writer
 * are written when it gets SIGTERM, before it exits 0.
 */
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
let child: ChildProcess | null = null;
let dataDir: string | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("SIGTERM", () => {
  it("writes every accepted request's UsageEvent before the process exits 0", async () => {
    const t = await createTestDatabase();
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const port = await freePort();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-sigterm-"));
    const started = spawn(process.execPath, ["--import", "tsx", "apps/gateway/src/server.ts"], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "test",
        DATABASE_URL: t.url,
        DATA_DIR: dataDir,
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: "127.0.0.1",
        API_KEY_PEPPER: TEST_PEPPER,
        LOG_LEVEL: "info",
        // nothing is written before the shutdown: neither the interval nor a full batch comes
        USAGE_FLUSH_INTERVAL_MS: "60000",
        USAGE_BATCH_SIZE: "10000",
      },
    });
    child = started;
    let output = "";
    const listening = new Promise<void>((resolve, reject) => {
      started.stdout?.on("data", (data: Buffer) => {
        output += String(data);
        if (output.includes("Server listening at")) resolve();
      });
      started.stderr?.on("data", (data: Buffer) => {
        output += String(data);
      });
      started.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
    });
    await within(listening, 25_000, "the gateway listening");

    const url = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const calls = [
      ...Array.from({ length: 6 }, () =>
        fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers,
          body: JSON.stringify({ model: "deepseek-chst-1.0", messages: [{ role: "user", content: "hi" }] }),
        }),
      ),
      ...Array.from({ length: 4 }, () => fetch(`${url}/v1/models`, { headers })),
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          model: "deepseek-chst-1.0",
          stream: true,
          messages: [{ role: "user", content: "s" }],
        }),
      }),
    ];
    const responses = await Promise.all(calls);
    await Promise.all(responses.map((response) => response.text()));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(0);

    const exited = once(started, "exit");
    started.kill("SIGTERM");
    const [code] = await within(exited, 20_000, "the gateway exiting");
    expect(code).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(calls.length);
  });
});
