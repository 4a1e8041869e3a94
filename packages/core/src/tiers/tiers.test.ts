import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createTier } from "./create-tier.ts";
import { listTiers } from "./list-tiers.ts";
import { updateTier } from "./update-tier.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock });
const actor: Actor = { type: "USER", id: "usr_admin", origin: "203.0.113.9" };
const limits = {
  name: "Team",
  requestsPerMinute: 30,
  tokensPerMinute: 100_000,
  monthlyTokenQuota: 5_000_000,
  maxFileBytes: 100 * 1024 * 1024,
  maxStorageBytes: 2 * 1024 ** 3,
  chatLogRetentionDays: 14,
  fileRetentionDays: 3,
};

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("listTiers", () => {
  it("lists the seeded tiers cheapest first, with their limits as numbers and their organizations", async () => {
    await createOrganization(deps(), { name: "On free", tier: "free", actor });
    const tiers = await listTiers(deps());
    const free = tiers.find((tier) => tier.slug === "free");
    expect(free).toMatchObject({
      name: "Free",
      requestsPerMinute: 5,
      tokensPerMinute: 20_000,
      monthlyTokenQuota: 1_000_000,
      maxFileBytes: 10 * 1024 * 1024,
      maxStorageBytes: 100 * 1024 * 1024,
      isCustom: false,
    });
    expect(tiers.find((tier) => tier.slug === "pro")?.maxStorageBytes).toBe(20 * 1024 ** 3);
    expect(free?.organizationCount).toBeGreaterThanOrEqual(1);
    expect(tiers.find((tier) => tier.slug === "pro")?.monthlyTokenQuota).toBeNull();
    const rpm = tiers.map((tier) => tier.requestsPerMinute);
    expect(rpm).toEqual([...rpm].sort((a, b) => a - b));
  });
});

describe("createTier", () => {
  it("creates a custom tier organizations can move to, audited", async () => {
    const tier = await createTier(deps(), { ...limits, slug: "team-a", actor });
    expect(tier).toMatchObject({ ...limits, slug: "team-a", id: "tier_team_a", isCustom: true });
    const org = await createOrganization(deps(), { name: "On team", tier: "team-a", actor });
    expect(org.tier).toBe("team-a");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: tier.id } });
    expect(audit).toMatchObject({ action: "tier.create", actorId: "usr_admin", origin: "203.0.113.9" });
  });

  it("lets the new tier call every enabled model, so that organizations moved onto it can chat", async () => {
    await t.db.model.create({ data: { id: "switched-off", provider: "LOCAL", isEnabled: false } });
    const tier = await createTier(deps(), { ...limits, slug: "team-models", actor });
    const granted = await t.db.model.findMany({
      where: { tiers: { some: { id: tier.id } } },
      select: { id: true },
    });
    const enabled = await t.db.model.findMany({ where: { isEnabled: true }, select: { id: true } });
    expect(granted.map((model) => model.id).sort()).toEqual(enabled.map((model) => model.id).sort());
    expect(granted.map((model) => model.id)).toContain("deepseek-chst-1.0");
    expect(granted.map((model) => model.id)).not.toContain("switched-off");
  });

  it("refuses a taken slug, a bad slug and out-of-range limits", async () => {
    await expect(createTier(deps(), { ...limits, slug: "free", actor })).rejects.toMatchObject({
      code: "conflict",
      param: "slug",
    });
    await expect(createTier(deps(), { ...limits, slug: "Bad Slug", actor })).rejects.toMatchObject({
      code: "invalid",
      param: "slug",
    });
    await expect(
      createTier(deps(), { ...limits, slug: "zero", requestsPerMinute: 0, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "requestsPerMinute" });
    await expect(
      createTier(deps(), { ...limits, slug: "frac", chatLogRetentionDays: 1.5, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "chatLogRetentionDays" });
  });
});

describe("updateTier", () => {
  it("changes only the given limits, allows unlimited tokens, and audits before and after", async () => {
    const tier = await createTier(deps(), { ...limits, slug: "team-b", actor });
    const updated = await updateTier(deps(), {
      tierId: tier.id,
      requestsPerMinute: 45,
      monthlyTokenQuota: null,
      actor,
    });
    expect(updated).toMatchObject({ ...limits, requestsPerMinute: 45, monthlyTokenQuota: null });
    const row = await t.db.tier.findUniqueOrThrow({ where: { id: tier.id } });
    expect(row.requestsPerMinute).toBe(45);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: tier.id, action: "tier.update" },
    });
    expect(audit.metadata).toEqual({
      slug: "team-b",
      from: { requestsPerMinute: 30, monthlyTokenQuota: 5_000_000 },
      to: { requestsPerMinute: 45, monthlyTokenQuota: null },
    });
  });

  it("sets a tier's storage quota, makes it unlimited, and audits both", async () => {
    const tier = await createTier(deps(), { ...limits, slug: "team-storage", maxStorageBytes: null, actor });
    expect(tier.maxStorageBytes).toBeNull();
    const capped = await updateTier(deps(), { tierId: tier.id, maxStorageBytes: 5 * 1024 ** 4, actor });
    expect(capped.maxStorageBytes).toBe(5 * 1024 ** 4);
    expect((await t.db.tier.findUniqueOrThrow({ where: { id: tier.id } })).maxStorageBytes).toBe(
      5n * 1024n ** 4n,
    );
    const unlimited = await updateTier(deps(), { tierId: tier.id, maxStorageBytes: null, actor });
    expect(unlimited.maxStorageBytes).toBeNull();
    const audits = await t.db.auditEvent.findMany({ where: { targetId: tier.id, action: "tier.update" } });
    expect(audits).toHaveLength(2);
    expect(audits.map((audit) => audit.metadata)).toEqual(
      expect.arrayContaining([
        { slug: "team-storage", from: { maxStorageBytes: null }, to: { maxStorageBytes: 5 * 1024 ** 4 } },
        { slug: "team-storage", from: { maxStorageBytes: 5 * 1024 ** 4 }, to: { maxStorageBytes: null } },
      ]),
    );
    for (const maxStorageBytes of [0, 1.5, 1024 ** 5 + 1]) {
      await expect(updateTier(deps(), { tierId: tier.id, maxStorageBytes, actor })).rejects.toMatchObject({
        code: "invalid",
        param: "maxStorageBytes",
      });
    }
  });

  it("refuses unknown tiers and invalid limits", async () => {
    await expect(updateTier(deps(), { tierId: "tier_nope", name: "X", actor })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      updateTier(deps(), { tierId: "tier_free", maxFileBytes: null as unknown as number, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "maxFileBytes" });
    await expect(updateTier(deps(), { tierId: "tier_free", name: " ", actor })).rejects.toMatchObject({
      code: "invalid",
      param: "name",
    });
  });
});
