import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const eraser = {
  name: "eraser",
  scopes: ["chat", "users:delete"] as ("chat" | "users:delete")[],
  expiresIn: "30d" as const,
};

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("creating a credential with a powerful scope", () => {
  it("is refused without the confirmation, for keys and clients alike, and nothing is made", async () => {
    const dev = w.as("DEVELOPER");
    const refusal = { code: "BAD_REQUEST", message: expect.stringContaining("users:delete") };
    await expect(dev.apiKeys.create({ ...eraser, organizationId: w.ownOrg })).rejects.toMatchObject(refusal);
    await expect(
      dev.apiKeys.create({ ...eraser, organizationId: w.ownOrg, allowPowerfulScopes: false }),
    ).rejects.toMatchObject(refusal);
    await expect(
      w.as("ADMIN").oauthClients.create({ ...eraser, scopes: ["users:export"], organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("users:export") });
    expect(await t.db.apiKey.count({ where: { organizationId: w.ownOrg, name: "eraser" } })).toBe(0);
    expect(await t.db.oAuthClient.count({ where: { organizationId: w.ownOrg, name: "eraser" } })).toBe(0);
  });

  it("is made with the confirmation, audited as the person with the scope named", async () => {
    const { key } = await w
      .as("DEVELOPER")
      .apiKeys.create({ ...eraser, organizationId: w.ownOrg, allowPowerfulScopes: true });
    expect(key.scopes).toEqual(["chat", "users:delete"]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: key.id } });
    expect(audit).toMatchObject({ action: "api_key.create", actorId: w.people.DEVELOPER.id });
    expect(audit.metadata).toMatchObject({ powerfulScopes: ["users:delete"] });
    // the confirmation does not open the admin scope to developers
    await expect(
      w.as("DEVELOPER").apiKeys.create({
        ...eraser,
        scopes: ["admin", "users:delete"],
        organizationId: w.ownOrg,
        allowPowerfulScopes: true,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("organizations.powerfulCredentials", () => {
  it("lists an organization's credentials that can erase or export, to admins and compliance officers", async () => {
    const admin = w.as("ADMIN");
    const org = (await admin.organizations.create({ name: "Powerful", tier: "free" })).id;
    const { key } = await admin.apiKeys.create({ ...eraser, organizationId: org, allowPowerfulScopes: true });
    const { client } = await admin.oauthClients.create({
      ...eraser,
      name: "exporter",
      scopes: ["users:export"],
      organizationId: org,
      allowPowerfulScopes: true,
    });
    await admin.apiKeys.create({ ...eraser, name: "plain", scopes: ["chat"], organizationId: org });

    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const listed = await w.as(role).organizations.powerfulCredentials({ organizationId: org });
      expect(listed.map(({ type, id, powerfulScopes }) => ({ type, id, powerfulScopes }))).toEqual([
        { type: "oauth_client", id: client.id, powerfulScopes: ["users:export"] },
        { type: "api_key", id: key.id, powerfulScopes: ["users:delete"] },
      ]);
    }
    await expect(
      w.as("DEVELOPER").organizations.powerfulCredentials({ organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      admin.organizations.powerfulCredentials({ organizationId: "org_missing" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(admin.organizations.powerfulCredentials({ organizationId: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
