import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("organizations.updateSettings by an owner", () => {
  it("lets an owner rename their organization and opt it out of data collection, audited as them", async () => {
    const settings = await w.as("OWNER").organizations.updateSettings({
      organizationId: w.ownOrg,
      name: "Renamed by its owner",
      dataCollectionOptOut: true,
    });
    expect(settings).toMatchObject({ name: "Renamed by its owner", dataCollectionOptOut: true });
    const audit = await t.db.auditEvent.findFirst({
      where: { targetId: w.ownOrg, action: "organization.settings.update" },
    });
    expect(audit).toMatchObject({ actorId: w.people.OWNER.id });
  });

  it("answers an owner naming another organization as if it did not exist", async () => {
    await expect(
      w.as("OWNER").organizations.updateSettings({ organizationId: w.otherOrg, dataCollectionOptOut: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await t.db.organization.findUniqueOrThrow({ where: { id: w.otherOrg } });
    expect(other.dataCollectionOptOut).toBe(false);
  });

  it("is refused to developers and viewers of the organization, and to compliance officers", async () => {
    for (const role of ["DEVELOPER", "VIEWER", "COMPLIANCE"] as const) {
      await expect(
        w.as(role).organizations.updateSettings({ organizationId: w.ownOrg, name: "Not theirs" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("leaves the tier, retention and data protection to admins and compliance officers", async () => {
    const owner = w.as("OWNER");
    await expect(
      owner.organizations.setTier({ organizationId: w.ownOrg, tier: "pro" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      owner.organizations.updateRetention({ organizationId: w.ownOrg, chatLogRetentionDays: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      owner.organizations.updateDataProtection({ organizationId: w.ownOrg, responseCacheEnabled: false }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
