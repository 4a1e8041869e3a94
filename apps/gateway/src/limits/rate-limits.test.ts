import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** Limits over HTTP: 429s in OpenAI's shape, its headers, keys' own limits, tier changes, quotas. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());
const MODEL = "deepseek-chst-1.0";

beforeAll(async () => {
  t = await createTestDatabase();
  // a fake clock: no bucket drains while a test runs, so every figure is exact
  gateway = await startTestGateway({ db: t.db, clock });
});
afterAll(() => gateway.close());

function chat(secret: string, body: object = {}, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], ...body }),
  });
}

const models = (secret: string) =>
  fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });

const header = (response: Response, name: string) => response.headers.get(name);

describe("requests per minute", () => {
  it("lets exactly 5 of 7 simultaneous requests through on the free tier; the rest get OpenAI's 429", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    const responses = await Promise.all(Array.from({ length: 7 }, () => chat(secret)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = responses.filter((r) => r.status === 429);
    for (const response of refused) {
      const body = await jsonOf(response);
      expect(body.error).toMatchObject({
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
        param: null,
      });
      expect(body.error.message).toMatch(
        /requests per min \(RPM\).*Limit 5, Used 5, Requested 1.*try again in 12s/,
      );
      expect(header(response, "retry-after")).toBe("12");
      expect(header(response, "retry-after-ms")).toBe("12000");
      expect(header(response, "x-ratelimit-remaining-requests")).toBe("0");
      expect(header(response, "x-ratelimit-reset-requests")).toBe("1m0s");
      expect(header(response, "x-request-id")).toMatch(/^req_/);
    }
    const remaining = responses
      .filter((r) => r.status === 200)
      .map((r) => header(r, "x-ratelimit-remaining-requests"))
      .sort();
    expect(remaining).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("puts OpenAI's headers on every /v1 response, errors included", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const list = await models(secret);
    expect(list.status).toBe(200);
    expect(header(list, "x-ratelimit-limit-requests")).toBe("60");
    expect(header(list, "x-ratelimit-remaining-requests")).toBe("59");
    expect(header(list, "x-ratelimit-reset-requests")).toBe("1s");
    // no token limit applies to listing models
    expect(header(list, "x-ratelimit-limit-tokens")).toBeNull();

    const completion = await chat(secret, { max_tokens: 50 });
    expect(completion.status).toBe(200);
    expect(header(completion, "x-ratelimit-remaining-requests")).toBe("58");
    expect(header(completion, "x-ratelimit-limit-tokens")).toBe("200000");
    expect(Number(header(completion, "x-ratelimit-remaining-tokens"))).toBeLessThan(200_000 - 50);
    expect(header(completion, "x-ratelimit-reset-tokens")).toMatch(/^\d+ms$/);

    const invalid = await chat(secret, { temperature: 9 });
    expect(invalid.status).toBe(400);
    expect(header(invalid, "x-ratelimit-remaining-requests")).toBe("57");
    // public routes have no caller to limit
    expect(header(await fetch(`${gateway.url}/v1/versions`), "x-ratelimit-limit-requests")).toBeNull();
  });

  it("applies a key's own lower limit to that key, sharing the organization's", async () => {
    const { org, key, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    await t.db.apiKey.update({ where: { id: key.id }, data: { requestsPerMinute: 2 } });
    await gateway.organizationChangesApplied();
    expect((await models(secret)).status).toBe(200);
    const second = await models(secret);
    expect(header(second, "x-ratelimit-limit-requests")).toBe("2");
    expect(header(second, "x-ratelimit-remaining-requests")).toBe("0");
    const third = await models(secret);
    expect(third.status).toBe(429);
    expect((await jsonOf(third)).error.message).toMatch(/on API key key_/);
    expect(header(third, "retry-after")).toBe("30");

    // another key of the organization is not held back by it, and sees what the organization has left
    const other = await createOrgWithKey(t.db, { tier: "pro" });
    await t.db.apiKey.update({ where: { id: other.key.id }, data: { organizationId: org.id } });
    await gateway.organizationChangesApplied();
    const response = await models(other.secret);
    expect(response.status).toBe(200);
    expect(header(response, "x-ratelimit-remaining-requests")).toBe("57");
  });

  it("takes a tier change into account as soon as the database announces it, without restart", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "free" });
    for (let i = 0; i < 5; i++) expect((await models(secret)).status).toBe(200);
    expect((await models(secret)).status).toBe(429);
    const pro = await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } });
    await t.db.organization.update({ where: { id: org.id }, data: { tierId: pro.id } });
    await gateway.organizationChangesApplied();
    const next = await models(secret);
    expect(next.status).toBe(200);
    expect(header(next, "x-ratelimit-limit-requests")).toBe("60");
    expect(header(next, "x-ratelimit-remaining-requests")).toBe("54");
  });
});

describe("tokens per minute", () => {
  it("reserves prompt + max tokens before the call and settles with the real count after it", async () => {
    const tier = await createCustomTier(t.db, { requestsPerMinute: 100, tokensPerMinute: 10_000 });
    const { secret } = await createOrgWithKey(t.db, { tier });
    const before = gateway.metering.metered;
    const first = await chat(secret, { max_tokens: 500 });
    const { usage } = await jsonOf<{ usage: { prompt_tokens: number; total_tokens: number } }>(first);
    // reserved: the prompt and all 500 tokens the reply could have taken
    expect(Number(header(first, "x-ratelimit-remaining-tokens"))).toBe(10_000 - usage.prompt_tokens - 500);
    await gateway.metering.whenMetered(before + 1);
    const second = await chat(secret, { max_tokens: 500 });
    // the first call is charged what it used, the second its reservation
    expect(Number(header(second, "x-ratelimit-remaining-tokens"))).toBe(
      10_000 - usage.total_tokens - (usage.prompt_tokens + 500),
    );
  });

  it("refuses a request larger than the token limit, telling the SDK not to retry", async () => {
    const tier = await createCustomTier(t.db, { requestsPerMinute: 100, tokensPerMinute: 1_000 });
    const { secret } = await createOrgWithKey(t.db, { tier });
    // no max_tokens: the default reservation (1024 tokens) alone exceeds 1000
    const response = await chat(secret);
    expect(response.status).toBe(429);
    expect((await jsonOf(response)).error.message).toMatch(/Request too large for tokens per min \(TPM\)/);
    expect(header(response, "retry-after")).toBeNull();
    expect(header(response, "x-should-retry")).toBe("false");
    expect((await chat(secret, { max_tokens: 100 })).status).toBe(200);
  });
});

describe("monthly token quota", () => {
  it("refuses with insufficient_quota and no Retry-After once the month's tokens are used", async () => {
    const tier = await createCustomTier(t.db, { requestsPerMinute: 100, monthlyTokenQuota: 50 });
    const { secret } = await createOrgWithKey(t.db, { tier });
    const before = gateway.metering.metered;
    const first = await chat(secret, { messages: [{ role: "user", content: "Use up the quota, please." }] });
    expect(first.status).toBe(200);
    await gateway.metering.whenMetered(before + 1);

    const requests: number[] = [];
    const sdk = new OpenAI({
      apiKey: secret,
      baseURL: `${gateway.url}/v1`,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        requests.push(response.status);
        return response;
      },
    });
    const error = await sdk.chat.completions
      .create({ model: MODEL, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, type: "insufficient_quota", code: "insufficient_quota" });
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBeNull();
    // x-should-retry: false, so the SDK did not retry in vain (its default is two retries)
    expect(requests).toEqual([429]);
  });
});

describe("with the official SDK and its default retries", () => {
  it("recovers from a 429 by itself, waiting as Retry-After says", async () => {
    // a real clock here: the SDK really waits
    const live = await startTestGateway({ db: t.db });
    try {
      const tier = await createCustomTier(t.db, { requestsPerMinute: 60 });
      const { secret } = await createOrgWithKey(t.db, { tier });
      const burst = await Promise.all(
        Array.from({ length: 60 }, () =>
          fetch(`${live.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } }),
        ),
      );
      expect(burst.every((r) => r.status === 200)).toBe(true);
      const statuses: number[] = [];
      const waits: string[] = [];
      const sdk = new OpenAI({
        apiKey: secret,
        baseURL: `${live.url}/v1`,
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          statuses.push(response.status);
          if (response.status === 429) waits.push(response.headers.get("retry-after") ?? "");
          return response;
        },
      });
      const completion = await sdk.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "hi" }],
      });
      expect(completion.object).toBe("chat.completion");
      expect(statuses[0]).toBe(429);
      expect(statuses.at(-1)).toBe(200);
      expect(waits[0]).toBe("1");
    } finally {
      await live.close();
    }
  });
});

describe("GET /metrics", () => {
  it("serves counters in Prometheus' text format to the metrics token", async () => {
    const response = await gateway.scrapeMetrics();
    expect(response.status).toBe(200);
    expect(header(response, "content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain(
      "# TYPE dsc_rate_limiter_fallback_active gauge\ndsc_rate_limiter_fallback_active 0\n",
    );
    expect(text).toMatch(/^dsc_usage_events_pending \d+$/m);
    // no REDIS_URL: limits live in this instance's memory
    expect(text).toMatch(/^dsc_rate_limiter_store_redis 0$/m);
  });
});
