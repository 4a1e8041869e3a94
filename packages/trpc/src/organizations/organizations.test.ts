import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("organizations.list", () => {
  it("shows admins and compliance officers every organization, in server pages", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const all = await w.as(role).organizations.list({ limit: 100 });
      expect(all.items.map((o) => o.id)).toEqual(expect.arrayContaining([w.ownOrg, w.otherOrg]));
    }
    const first = await w.as("ADMIN").organizations.list({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe(first.items[0]?.id);
    const second = await w.as("ADMIN").organizations.list({ limit: 1, after: first.nextCursor ?? "" });
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it("shows a developer only their own organization, even when searching for another", async () => {
    const dev = w.as("DEVELOPER");
    expect((await dev.organizations.list({})).items.map((o) => o.id)).toEqual([w.ownOrg]);
    expect((await dev.organizations.list({ search: w.otherOrg })).items).toEqual([]);
    const orphan = w.caller({ id: "usr_orphan", role: "DEVELOPER", organizationId: null });
    await expect(orphan.organizations.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses callers who are not signed in, and bad input", async () => {
    await expect(w.caller(null).organizations.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(w.as("ADMIN").organizations.list({ limit: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("organizations.get and organizations.members", () => {
  it("open the developer's own organization and no other", async () => {
    const dev = w.as("DEVELOPER");
    expect((await dev.organizations.get({ organizationId: w.ownOrg })).id).toBe(w.ownOrg);
    expect((await dev.organizations.members({ organizationId: w.ownOrg })).map((m) => m.id)).toEqual([
      w.people.DEVELOPER.id,
    ]);
    await expect(dev.organizations.get({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(dev.organizations.members({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await w.as("COMPLIANCE").organizations.get({ organizationId: w.otherOrg })).tier.slug).toBe(
      "pro",
    );
  });
});

describe("organizations.create, setTier and updateSettings", () => {
  it("let an admin create, move and configure an organization, audited as that admin", async () => {
    const admin = w.as("ADMIN");
    const org = await admin.organizations.create({ name: "  Created here ", tier: "free" });
    expect(org).toMatchObject({ name: "Created here", tier: "free" });
    expect((await admin.organizations.setTier({ organizationId: org.id, tier: "pro" })).tier).toBe("pro");
    const settings = await admin.organizations.updateSettings({
      organizationId: org.id,
      dataCollectionOptOut: true,
      chatLogRetentionDays: 7,
    });
    expect(settings).toMatchObject({ dataCollectionOptOut: true, effectiveChatLogRetentionDays: 7 });
    const audits = await t.db.auditEvent.findMany({ where: { targetId: org.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.actorType, a.actorId, a.origin])).toEqual([
      ["organization.create", "USER", w.people.ADMIN.id, "192.0.2.10"],
      ["organization.tier.set", "USER", w.people.ADMIN.id, "192.0.2.10"],
      ["organization.settings.update", "USER", w.people.ADMIN.id, "192.0.2.10"],
    ]);
  });

  it("report invalid input with the field at fault", async () => {
    const admin = w.as("ADMIN");
    await expect(admin.organizations.create({ name: " ", tier: "free" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const error = await admin.organizations.create({ name: "X", tier: "gold" }).catch((e) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", cause: { param: "tier" } });
    await expect(
      admin.organizations.updateSettings({ organizationId: w.ownOrg, chatLogRetentionDays: 31 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { param: "chatLogRetentionDays" } });
  });

  it("are refused to compliance officers and developers, even for their own organization", async () => {
    for (const role of ["COMPLIANCE", "DEVELOPER"] as const) {
      await expect(w.as(role).organizations.create({ name: "No", tier: "free" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        w.as(role).organizations.updateSettings({ organizationId: w.ownOrg, dataCollectionOptOut: true }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });
});
