import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const limits = {
  name: "Startup",
  requestsPerMinute: 20,
  tokensPerMinute: 50_000,
  monthlyTokenQuota: null,
  maxFileMiB: 25,
  maxStorageMiB: 2048,
  chatLogRetentionDays: 30,
  fileRetentionDays: 7,
};

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("tiers", () => {
  it("are listed with limits, created and edited by an admin; file sizes travel in MiB", async () => {
    const admin = w.as("ADMIN");
    const created = await admin.tiers.create({ ...limits, slug: "startup" });
    expect(created).toMatchObject({
      slug: "startup",
      maxFileBytes: 25 * 1024 * 1024,
      maxStorageBytes: 2 * 1024 ** 3,
      isCustom: true,
    });
    const updated = await admin.tiers.update({ ...limits, tierId: created.id, requestsPerMinute: 25 });
    expect(updated.requestsPerMinute).toBe(25);
    expect((await t.db.tier.findUniqueOrThrow({ where: { id: created.id } })).requestsPerMinute).toBe(25);
    const listed = await w.as("COMPLIANCE").tiers.list();
    expect(listed.map((tier) => tier.slug)).toEqual(expect.arrayContaining(["free", "pro", "startup"]));
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: created.id, action: "tier.update" },
    });
    expect(audit).toMatchObject({ actorId: w.people.ADMIN.id, actorType: "USER" });
  });

  it("let an admin set an organization's file storage quota in MiB, or make it unlimited", async () => {
    const admin = w.as("ADMIN");
    const tier = await admin.tiers.create({ ...limits, slug: "storage-quota", maxStorageMiB: null });
    expect(tier.maxStorageBytes).toBeNull();
    const capped = await admin.tiers.update({ ...limits, tierId: tier.id, maxStorageMiB: 100 });
    expect(capped.maxStorageBytes).toBe(100 * 1024 * 1024);
    expect((await t.db.tier.findUniqueOrThrow({ where: { id: tier.id } })).maxStorageBytes).toBe(
      100n * 1024n * 1024n,
    );
    await expect(admin.tiers.update({ ...limits, tierId: tier.id, maxStorageMiB: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      w.as("COMPLIANCE").tiers.update({ ...limits, tierId: tier.id, maxStorageMiB: null }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await t.db.tier.findUniqueOrThrow({ where: { id: tier.id } })).maxStorageBytes).toBe(
      100n * 1024n * 1024n,
    );
  });

  it("validate limits with the shared schema before core sees them", async () => {
    const admin = w.as("ADMIN");
    await expect(admin.tiers.create({ ...limits, slug: "Not Valid" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      admin.tiers.update({ ...limits, tierId: "tier_free", requestsPerMinute: 0 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.tiers.update({ ...limits, tierId: "tier_nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(admin.tiers.create({ ...limits, slug: "free" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("are not for developers, and only admins change them", async () => {
    await expect(w.as("DEVELOPER").tiers.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(w.as("COMPLIANCE").tiers.update({ ...limits, tierId: "tier_free" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
