import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/database.ts";
import { within } from "../../../test/support/fake-upstream.ts";
import { type GatewayProcess, startGatewayProcess } from "./testing/gateway-process.ts";

/**
 * The real server process (src/server.ts under tsx): its log lines are buffered to share
 * write system calls (build-gateway-deps.ts), yet each reaches stdout within the flush
 * interval with no traffic after it, and all are written when the process exits.
 */
const t = await createTestDatabase();
const gateway = await startGatewayProcess({ databaseUrl: t.url });

afterAll(async () => {
  await gateway.kill();
});

describe("the gateway's log lines", () => {
  it("reach stdout within the 250 ms flush interval, with no traffic after them", async () => {
    const requestId = await healthCheck(gateway);
    // 4 KB of lines would be written at once; one line waits for the interval only
    await within(printed(gateway, requestId), 2_000, "the request's log line");
  });

  it("do not keep it from exiting once nothing reads them, as when the supervisor was SIGKILLed", async () => {
    const orphan = await startGatewayProcess({ databaseUrl: t.url });
    try {
      const exit = once(orphan.child, "exit");
      // the reader's end of the pipe closes: from now on every write fails with EPIPE, and the
      // lines of the shutdown are still waiting in the buffer when the process exits
      orphan.child.stdout?.destroy();
      orphan.child.kill("SIGTERM");
      const [code] = await within(exit, 20_000, "the gateway exiting with nothing reading its log");
      expect(code).toBe(0);
    } finally {
      await orphan.kill();
    }
  });

  // last: it stops the gateway
  it("are all written when the process exits, the last within the interval before", async () => {
    gateway.child.kill("SIGTERM");
    expect(await within(gateway.exited, 20_000, "the gateway exiting")).toBe(0);
    expect(gateway.output()).toContain('"msg":"requests ended: writing usage events and chat logs"');
  });
});

/** GET /healthz; resolves with its request id, which its log line carries. */
async function healthCheck(running: GatewayProcess): Promise<string> {
  const response = await fetch(`${running.url}/healthz`);
  await response.text();
  expect(response.status).toBe(200);
  return response.headers.get("x-request-id") as string;
}

/** Resolves once the process has printed `text`, now or later. */
function printed(running: GatewayProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!running.output().includes(text)) return;
      running.child.stdout?.off("data", check);
      resolve();
    };
    running.child.stdout?.on("data", check);
    check();
  });
}
