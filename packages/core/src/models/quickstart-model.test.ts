import { randomBytes } from "node:crypto";
import { DEFAULT_MODEL_ID } from "@dsc/db";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createTier } from "../tiers/create-tier.ts";
import { createModel } from "./create-model.ts";
import { quickstartModelFor } from "./quickstart-model.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock });

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("quickstartModelFor", () => {
  it("is the built-in model where the tier may call it, and without an organization", async () => {
    const org = await createOrganization(deps(), { name: "Free", tier: "free", actor });
    expect(await quickstartModelFor(deps(), { organizationId: org.id })).toBe(DEFAULT_MODEL_ID);
    expect(await quickstartModelFor(deps(), { organizationId: null })).toBe(DEFAULT_MODEL_ID);
  });

  it("is a model the tier may call when the built-in one is not among them", async () => {
    const slug = `quick-${randomBytes(3).toString("hex")}`;
    await createTier(deps(), {
      slug,
      name: "Quick",
      requestsPerMinute: 60,
      tokensPerMinute: null,
      monthlyTokenQuota: null,
      maxFileBytes: 1_000_000,
      maxStorageBytes: null,
      chatLogRetentionDays: 30,
      fileRetentionDays: 30,
      actor,
    });
    await createModel(deps(), {
      id: `${slug}-model`,
      contextWindow: 8_192,
      inputPricePerMTokens: 1,
      outputPricePerMTokens: 1,
      tiers: [slug],
      actor,
    });
    // a new tier may call every enabled model: this one may not call the built-in one
    await t.db.tier.update({ where: { slug }, data: { models: { disconnect: { id: DEFAULT_MODEL_ID } } } });
    const org = await createOrganization(deps(), { name: "Quick", tier: slug, actor });
    expect(await quickstartModelFor(deps(), { organizationId: org.id })).toBe(`${slug}-model`);
  });
});
