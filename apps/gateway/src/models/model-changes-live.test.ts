import { cliActor, createModel, createTier, setModelEnabled, setModelTiers, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/*
 * A change made through the models page's core functions reaches a running gateway through the
 * database's notification alone: no restart, no waiting for a cache to expire (its TTL is far
 * longer than the second this allows), and no marker that this test sends itself.
 */

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock: systemClock });
const WITHIN_MS = 1_000;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  // the test asks as often as it can for a second: no rate limit of the seeded tiers may answer first
  await createTier(deps(), {
    slug: "live-unthrottled",
    name: "Unthrottled",
    requestsPerMinute: 1_000_000,
    tokensPerMinute: null,
    monthlyTokenQuota: null,
    maxFileBytes: 1024,
    maxStorageBytes: null,
    chatLogRetentionDays: 1,
    fileRetentionDays: 1,
    actor,
  });
});
afterAll(() => gateway.close());

async function statusOf(secret: string, modelId: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/models/${encodeURIComponent(modelId)}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Asks until the gateway answers `expected` or a second has passed; the last status it gave. */
async function statusWithinASecond(secret: string, modelId: string, expected: number): Promise<number> {
  const deadline = Date.now() + WITHIN_MS;
  let status = await statusOf(secret, modelId);
  while (status !== expected && Date.now() < deadline) status = await statusOf(secret, modelId);
  return status;
}

describe("a model changed on the models page", () => {
  it("is 404 on a running gateway within a second of being disabled, and served again when enabled", async () => {
    await createModel(deps(), {
      id: "live-switch-1",
      provider: "LOCAL",
      contextWindow: 8_192,
      inputPricePerMTokens: 0,
      outputPricePerMTokens: 0,
      tiers: ["live-unthrottled"],
      actor,
    });
    const { secret } = await createOrgWithKey(t.db, { tier: "live-unthrottled" });
    // the organization's snapshot, with the model, is now cached by the gateway
    expect(await statusOf(secret, "live-switch-1")).toBe(200);

    await setModelEnabled(deps(), { modelId: "live-switch-1", isEnabled: false, actor });
    expect(await statusWithinASecond(secret, "live-switch-1", 404)).toBe(404);

    await setModelEnabled(deps(), { modelId: "live-switch-1", isEnabled: true, actor });
    expect(await statusWithinASecond(secret, "live-switch-1", 200)).toBe(200);
  });

  it("is callable by a tier within a second of being given to it, and not after being taken away", async () => {
    await createModel(deps(), {
      id: "live-tiers-1",
      provider: "LOCAL",
      contextWindow: 8_192,
      inputPricePerMTokens: 0,
      outputPricePerMTokens: 0,
      tiers: [],
      actor,
    });
    const { secret } = await createOrgWithKey(t.db, { tier: "live-unthrottled" });
    expect(await statusOf(secret, "live-tiers-1")).toBe(404);
    await setModelTiers(deps(), { modelId: "live-tiers-1", tiers: ["live-unthrottled"], actor });
    expect(await statusWithinASecond(secret, "live-tiers-1", 200)).toBe(200);
    await setModelTiers(deps(), { modelId: "live-tiers-1", tiers: ["free"], actor });
    expect(await statusWithinASecond(secret, "live-tiers-1", 404)).toBe(404);
  });
});
