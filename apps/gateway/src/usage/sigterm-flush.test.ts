import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import { type GatewayProcess, startGatewayProcess } from "../testing/gateway-process.ts";
import { createOrgWithKey } from "../testing/start-test-gateway.ts";

/**
 * The real server process (src/server.ts under tsx): usage events that wait in its writer
 * are written when it gets SIGTERM, before it exits 0.
 */
let gateway: GatewayProcess | null = null;

afterAll(async () => {
  await gateway?.kill();
});

describe("SIGTERM", () => {
  it("writes every accepted request's UsageEvent before the process exits 0", async () => {
    const t = await createTestDatabase();
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const started = await startGatewayProcess({
      databaseUrl: t.url,
      // nothing is written before the shutdown: neither the interval nor a full batch comes
      env: { USAGE_FLUSH_INTERVAL_MS: "60000", USAGE_BATCH_SIZE: "10000" },
    });
    gateway = started;
    const { url } = started;
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

    started.child.kill("SIGTERM");
    const code = await within(started.exited, 20_000, "the gateway exiting");
    expect(code).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(calls.length);
  });
});
