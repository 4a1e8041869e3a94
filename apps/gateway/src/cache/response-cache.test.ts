import {
  broadcastCachePurge,
  type ChatProvider,
  createLocalProvider,
  type MemoryResponseCache,
  purgeCacheForSubject,
} from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** The response cache over HTTP: hit, miss, bypass, isolation, opt-outs, cost, purge, TTL. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());
let providerCalls = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  const local = createLocalProvider();
  const counting: ChatProvider = {
    name: "counting",
    complete: (call) => {
      providerCalls += 1;
      return local.complete(call);
    },
    stream: (call) => local.stream(call),
  };
  gateway = await startTestGateway({
    db: t.db,
    clock,
    providers: { resolve: (model) => ({ provider: counting, upstreamModel: model.id }) },
  });
});
afterAll(() => gateway.close());

const deterministic = { temperature: 0, messages: [{ role: "user", content: "Cache this answer" }] };

async function chat(secret: string, body: object = deterministic, headers: Record<string, string> = {}) {
  const before = gateway.metering.metered;
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "deepseek-chst-1.0", ...body }),
  });
  const json = await jsonOf<{ id: string; choices: unknown[]; usage: { total_tokens: number } }>(response);
  // the answer is stored (and the request settled) once it is metered
  await gateway.metering.whenMetered(before + 1);
  return { status: response.status, cache: response.headers.get("x-cache"), headers: response.headers, json };
}

describe("the response cache", () => {
  it("answers an identical deterministic request from the cache, without calling the model", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const calls = providerCalls;
    const miss = await chat(secret);
    const hit = await chat(secret);
    expect([miss.cache, hit.cache]).toEqual(["miss", "hit"]);
    expect(providerCalls - calls).toBe(1);
    expect(hit.json.choices).toEqual(miss.json.choices);
    expect(hit.json.id).not.toBe(miss.json.id);
    // a different message is another entry
    expect(
      (await chat(secret, { ...deterministic, messages: [{ role: "user", content: "Other" }] })).cache,
    ).toBe("miss");
  });

  it("is bypassed by Cache-Control: no-cache, and never used for non-deterministic requests or streams", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    await chat(secret);
    const calls = providerCalls;
    expect((await chat(secret, deterministic, { "cache-control": "no-cache" })).cache).toBe("miss");
    expect((await chat(secret, deterministic, { "Cache-Control": "max-age=0, no-store" })).cache).toBe(
      "miss",
    );
    const sampled = { messages: deterministic.messages, temperature: 0.7 };
    expect([(await chat(secret, sampled)).cache, (await chat(secret, sampled)).cache]).toEqual([
      "miss",
      "miss",
    ]);
    const twoChoices = { ...deterministic, n: 2 };
    expect([(await chat(secret, twoChoices)).cache, (await chat(secret, twoChoices)).cache]).toEqual([
      "miss",
      "miss",
    ]);
    expect(providerCalls - calls).toBe(6);
    const stream = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "deepseek-chst-1.0", ...deterministic, stream: true }),
    });
    expect(stream.headers.get("x-cache")).toBe("miss");
    await stream.text();
  });

  it("keeps organizations apart", async () => {
    const a = await createOrgWithKey(t.db, { tier: "pro" });
    const b = await createOrgWithKey(t.db, { tier: "pro" });
    expect((await chat(a.secret)).cache).toBe("miss");
    expect((await chat(b.secret)).cache).toBe("miss");
    expect((await chat(a.secret)).cache).toBe("hit");
  });

  it("never caches for organizations that turned it off or opted out of data collection", async () => {
    for (const settings of [{ responseCacheEnabled: false }, { dataCollectionOptOut: true }]) {
      const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
      await t.db.organization.update({ where: { id: org.id }, data: settings });
      await gateway.organizationChangesApplied();
      const calls = providerCalls;
      expect([(await chat(secret)).cache, (await chat(secret)).cache]).toEqual(["miss", "miss"]);
      expect(providerCalls - calls).toBe(2);
    }
  });

  it("charges a hit one request and no tokens", async () => {
    const tier = await createCustomTier(t.db, { requestsPerMinute: 100, tokensPerMinute: 10_000 });
    const { org, secret } = await createOrgWithKey(t.db, { tier });
    const body = { ...deterministic, max_tokens: 50 };
    const miss = await chat(secret, body);
    const used = miss.json.usage.total_tokens;
    const hits = [await chat(secret, body), await chat(secret, body)];
    const reserved =
      Number(miss.headers.get("x-ratelimit-limit-tokens")) -
      Number(miss.headers.get("x-ratelimit-remaining-tokens"));
    for (const [i, hit] of hits.entries()) {
      expect(hit.cache).toBe("hit");
      expect(hit.headers.get("x-ratelimit-remaining-requests")).toBe(String(98 - i));
      // each hit sees only the miss's real usage spent: its own reservation was given back
      expect(Number(hit.headers.get("x-ratelimit-remaining-tokens"))).toBe(10_000 - used - reserved);
    }
    await gateway.metering.usage.flush();
    const events = await t.db.usageEvent.findMany({
      where: { organizationId: org.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.cached, e.promptTokens + e.completionTokens])).toEqual([
      [false, used],
      [true, 0],
      [true, 0],
    ]);
  });

  it("purges an end user's entries or an organization's on request", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const as = (user: string) => ({ ...deterministic, user });
    for (const user of ["alice", "bob"]) await chat(secret, as(user));
    await chat(secret);
    const cache = gateway.metering.cache;
    expect(await purgeCacheForSubject({ cache }, { organizationId: org.id, endUserId: "alice" })).toBe(1);
    expect([(await chat(secret, as("alice"))).cache, (await chat(secret, as("bob"))).cache]).toEqual([
      "miss",
      "hit",
    ]);
    expect(await purgeCacheForSubject({ cache }, { organizationId: org.id })).toBe(3);
    expect((await chat(secret, as("bob"))).cache).toBe("miss");
    expect((await chat(secret)).cache).toBe("miss");
  });

  it("purges its in-memory entries when another process (the worker) broadcasts an erasure", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const bystander = await createOrgWithKey(t.db, { tier: "pro" });
    const as = (user: string) => ({
      ...deterministic,
      user,
      messages: [{ role: "user", content: "Erase me" }],
    });
    for (const user of ["carol", "dave"]) await chat(secret, as(user));
    await chat(bystander.secret, as("carol"));
    const cache = gateway.metering.cache as MemoryResponseCache;
    const entries = () => cache.listEntries().length;
    const before = entries();

    await broadcastCachePurge(t.db, { organizationId: org.id, endUserId: "carol" });
    await vi.waitFor(() => expect(entries()).toBe(before - 1), { timeout: 2_000 });
    expect([
      (await chat(secret, as("dave"))).cache,
      (await chat(bystander.secret, as("carol"))).cache,
      (await chat(secret, as("carol"))).cache,
    ]).toEqual(["hit", "hit", "miss"]);
  });

  it("forgets answers after the TTL (1 hour by default)", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const body = { ...deterministic, messages: [{ role: "user", content: "Expire me" }] };
    await chat(secret, body);
    clock.advance(3_599_000);
    expect((await chat(secret, body)).cache).toBe("hit");
    clock.advance(1_001);
    expect((await chat(secret, body)).cache).toBe("miss");
  });
});
