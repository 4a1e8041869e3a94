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
    const members = await dev.organizations.members({ organizationId: w.ownOrg });
    expect(members.map((m) => [m.id, m.memberRole]).sort()).toEqual(
      [
        [w.people.OWNER.id, "OWNER"],
        [w.people.DEVELOPER.id, "DEVELOPER"],
        [w.people.VIEWER.id, "VIEWER"],
      ].sort(),
    );
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
    });
    expect(settings).toMatchObject({ dataCollectionOptOut: true });
    const retention = await admin.organizations.updateRetention({
      organizationId: org.id,
      chatLogRetentionDays: 7,
    });
    expect(retention).toMatchObject({ chatLogRetentionDays: 7, effectiveChatLogRetentionDays: 7 });
    const audits = await t.db.auditEvent.findMany({ where: { targetId: org.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.actorType, a.actorId, a.origin])).toEqual([
      ["organization.create", "USER", w.people.ADMIN.id, "192.0.2.10"],
      ["organization.tier.set", "USER", w.people.ADMIN.id, "192.0.2.10"],
      ["organization.settings.update", "USER", w.people.ADMIN.id, "192.0.2.10"],
      ["organization.retention.update", "USER", w.people.ADMIN.id, "192.0.2.10"],
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
      admin.organizations.updateRetention({ organizationId: w.ownOrg, chatLogRetentionDays: 31 }),
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

describe("organizations.updateDataProtection", () => {
  it("lets admins and compliance officers change masking and the cache, audited as them", async () => {
    const admin = w.as("ADMIN");
    const org = await admin.organizations.create({ name: "Protected", tier: "free" });
    const byAdmin = await admin.organizations.updateDataProtection({
      organizationId: org.id,
      piiMaskKinds: ["phone", "email"],
      responseCacheEnabled: false,
    });
    expect(byAdmin).toMatchObject({ piiMaskKinds: ["email", "phone"], responseCacheEnabled: false });
    const byOfficer = await w
      .as("COMPLIANCE")
      .organizations.updateDataProtection({ organizationId: org.id, maskPiiUpstream: true });
    expect(byOfficer.maskPiiUpstream).toBe(true);
    expect((await admin.organizations.get({ organizationId: org.id })).piiMaskKinds).toEqual([
      "email",
      "phone",
    ]);
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: org.id, action: "organization.data_protection.update" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.actorId)).toEqual([w.people.ADMIN.id, w.people.COMPLIANCE.id]);
  });

  it("refuses an unknown kind with the field at fault, and developers", async () => {
    const error = await w
      .as("ADMIN")
      .organizations.updateDataProtection({
        organizationId: w.ownOrg,
        // biome-ignore lint/suspicious/noExplicitAny: a kind the schema does not know
        piiMaskKinds: ["email", "name" as any],
      })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(error.cause?.issues.map((i: { path: unknown[] }) => i.path)).toEqual([["piiMaskKinds", 1]]);
    await expect(
      w
        .as("DEVELOPER")
        .organizations.updateDataProtection({ organizationId: w.ownOrg, maskPiiUpstream: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("organizations.setLegalHold and organizations.legalHold", () => {
  it("let a compliance officer place a hold with a reason and lift it; admins read it", async () => {
    const officer = w.as("COMPLIANCE");
    const org = await w.as("ADMIN").organizations.create({ name: "On hold", tier: "free" });
    const held = await officer.organizations.setLegalHold({
      organizationId: org.id,
      legalHold: true,
      reason: " Matter 42 ",
    });
    expect(held.legalHold).toBe(true);
    expect(await w.as("ADMIN").organizations.legalHold({ organizationId: org.id })).toMatchObject({
      isOnHold: true,
      reason: "Matter 42",
      placedBy: w.people.COMPLIANCE.id,
    });
    await officer.organizations.setLegalHold({ organizationId: org.id, legalHold: false });
    expect((await officer.organizations.legalHold({ organizationId: org.id })).isOnHold).toBe(false);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: org.id, action: "organization.legal_hold.place" },
    });
    expect(audit).toMatchObject({ actorId: w.people.COMPLIANCE.id, origin: "192.0.2.10" });
  });

  it("need a reason to place a hold, and refuse placing it twice", async () => {
    const officer = w.as("COMPLIANCE");
    const error = await officer.organizations
      .setLegalHold({ organizationId: w.otherOrg, legalHold: true, reason: "  " })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(error.cause?.issues.map((i: { path: unknown[] }) => i.path)).toEqual([["reason"]]);
    await officer.organizations.setLegalHold({
      organizationId: w.otherOrg,
      legalHold: true,
      reason: "Case 1",
    });
    await expect(
      officer.organizations.setLegalHold({ organizationId: w.otherOrg, legalHold: true, reason: "Case 2" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("are refused to admins (segregation of duties) and developers", async () => {
    for (const role of ["ADMIN", "DEVELOPER"] as const) {
      await expect(
        w.as(role).organizations.setLegalHold({ organizationId: w.ownOrg, legalHold: true, reason: "Mine" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(
      w.as("DEVELOPER").organizations.legalHold({ organizationId: w.ownOrg }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await w.as("ADMIN").organizations.get({ organizationId: w.ownOrg })).legalHold).toBe(false);
  });
});

describe("organizations.updateRetention", () => {
  it("lets a compliance officer shorten retention within the tier's, audited with before and after", async () => {
    const officer = w.as("COMPLIANCE");
    const updated = await officer.organizations.updateRetention({
      organizationId: w.otherOrg,
      chatLogRetentionDays: 14,
      fileRetentionDays: 2,
    });
    expect(updated).toMatchObject({ effectiveChatLogRetentionDays: 14, effectiveFileRetentionDays: 2 });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: w.otherOrg, action: "organization.retention.update" },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ actorId: w.people.COMPLIANCE.id, origin: "192.0.2.10" });
    expect(audit.metadata).toMatchObject({ to: { chatLogRetentionDays: 14, fileRetentionDays: 2 } });
    // null goes back to the tier's
    await expect(
      officer.organizations.updateRetention({ organizationId: w.otherOrg, fileRetentionDays: null }),
    ).resolves.toMatchObject({ fileRetentionDays: null, effectiveFileRetentionDays: 7 });
  });

  it("refuses days beyond the tier's or out of bounds, and developers even for their own organization", async () => {
    const admin = w.as("ADMIN");
    await expect(
      admin.organizations.updateRetention({ organizationId: w.ownOrg, fileRetentionDays: 8 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { param: "fileRetentionDays" } });
    await expect(
      admin.organizations.updateRetention({ organizationId: w.ownOrg, fileRetentionDays: 0 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      w.as("DEVELOPER").organizations.updateRetention({ organizationId: w.ownOrg, fileRetentionDays: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await t.db.organization.findUniqueOrThrow({ where: { id: w.ownOrg } })).fileRetentionDays).toBe(
      null,
    );
  });
});
