import { createProviderRegistry } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { answerJson, completion, startFakeUpstream } from "../../../../test/support/fake-upstream.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/**
 * A usage row the database refuses (an upstream's absurd token count) is kept in
 * usage_dead_letter and counted, and never holds back the usage of anyone else.
 */
let t: TestDatabase;
const ABSURD = 10 ** 15;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const ask = (user?: string) => ({
  model: "deepseek-chst-1.0",
  messages: [{ role: "user", content: "How many?" }],
  ...(user === undefined ? {} : { user }),
});
const post = (url: string, secret: string, body: object) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("a usage row the database refuses", () => {
  it("goes to usage_dead_letter with its error and a metric; the others' usage is written", async () => {
    const upstream = await startFakeUpstream(
      answerJson(200, {
        ...completion("A lot."),
        usage: { prompt_tokens: ABSURD, completion_tokens: 1, total_tokens: ABSURD + 1 },
      }),
    );
    const providers = createProviderRegistry({
      defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: null, model: "upstream-model" },
      timeouts: { connectMs: 1_000, firstByteMs: 1_000, totalMs: 10_000 },
      retries: { attempts: 1 },
    });
    const gateway = await startTestGateway({ db: t.db, providers });
    cleanups.push(upstream.close, providers.close, gateway.close);
    const absurd = await createOrgWithKey(t.db, { tier: "pro" });
    const other = await createOrgWithKey(t.db, { tier: "pro" });

    const before = gateway.metering.metered;
    const refused = await post(gateway.url, absurd.secret, ask());
    await refused.text();
    const listed = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${other.secret}` },
    });
    await listed.text();
    await gateway.metering.whenMetered(before + 2);
    await gateway.metering.usage.flush();

    expect(await t.db.usageEvent.count({ where: { organizationId: other.org.id } })).toBe(1);
    expect(await t.db.usageEvent.count({ where: { organizationId: absurd.org.id } })).toBe(0);
    const kept = await t.db.usageDeadLetter.findFirstOrThrow({ where: { organizationId: absurd.org.id } });
    expect(kept.record).toMatchObject({
      requestId: refused.headers.get("x-request-id"),
      promptTokens: ABSURD,
      endpoint: "/v1/chat/completions",
    });
    expect(kept.error).toMatch(/out of range/);
    expect(gateway.metering.usage.stats.pending).toBe(0);
    const scraped = await (await gateway.scrapeMetrics()).text();
    expect(scraped).toMatch(/^dsc_usage_events_dead_lettered_total 1$/m);
  });

  it("cannot be caused by an end-user id with a NUL byte: the edge refuses it", async () => {
    const gateway = await startTestGateway({ db: t.db });
    cleanups.push(gateway.close);
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const response = await post(gateway.url, secret, ask("a\u0000b"));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("user");
  });
});
