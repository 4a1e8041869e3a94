import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const newClient = { name: "backend", scopes: ["chat"] as "chat"[], expiresIn: "never" as const };

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("oauthClients", () => {
  it("are created with their secret shown once, listed, rotated and revoked by a developer", async () => {
    const dev = w.as("DEVELOPER");
    const { client, secret } = await dev.oauthClients.create({ ...newClient, organizationId: w.ownOrg });
    expect(secret.length).toBeGreaterThan(20);
    expect(client).toMatchObject({ name: "backend", scopes: ["chat"], state: "active", expiresAt: null });
    const row = await t.db.oAuthClient.findUniqueOrThrow({ where: { id: client.id } });
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await dev.oauthClients.list({ state: "active" });
    expect(listed.items.map((c) => c.id)).toContain(client.id);

    const rotated = await dev.oauthClients.rotateSecret({ clientId: client.id, gracePeriod: "none" });
    expect(rotated.secret).not.toBe(secret);
    const revoked = await dev.oauthClients.revoke({ clientId: client.id });
    expect(revoked.state).toBe("revoked");
    expect(w.published).toContain(client.id);
    expect((await dev.oauthClients.list({ state: "revoked" })).items.map((c) => c.id)).toContain(client.id);

    const audits = await t.db.auditEvent.findMany({ where: { targetId: client.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ["oauth_client.create", w.people.DEVELOPER.id],
      ["oauth_client.rotate_secret", w.people.DEVELOPER.id],
      ["oauth_client.revoke", w.people.DEVELOPER.id],
    ]);
  });

  it("keep developers inside their organization", async () => {
    const { client } = await w.as("ADMIN").oauthClients.create({ ...newClient, organizationId: w.otherOrg });
    const dev = w.as("DEVELOPER");
    await expect(dev.oauthClients.create({ ...newClient, organizationId: w.otherOrg })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
    await expect(dev.oauthClients.list({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await dev.oauthClients.list({ limit: 100 })).items.map((c) => c.id)).not.toContain(client.id);
    await expect(dev.oauthClients.revoke({ clientId: client.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(dev.oauthClients.rotateSecret({ clientId: client.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      dev.oauthClients.create({ ...newClient, organizationId: w.ownOrg, scopes: ["admin"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(w.as("COMPLIANCE").oauthClients.revoke({ clientId: client.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await w.as("COMPLIANCE").oauthClients.list({ organizationId: w.otherOrg })).items).toHaveLength(
      1,
    );
  });
});
