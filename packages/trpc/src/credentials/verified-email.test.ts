import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("a new secret needs a verified address", () => {
  it("refuses rotating a key or a client to a member whose address is not verified, and changes nothing", async () => {
    const verified = w.as("DEVELOPER");
    const { key } = await verified.apiKeys.create({
      name: "rotated",
      scopes: ["chat"],
      organizationId: w.ownOrg,
      expiresIn: "30d",
    });
    const { client } = await verified.oauthClients.create({
      name: "rotated",
      scopes: ["chat"],
      organizationId: w.ownOrg,
      expiresIn: "30d",
    });
    const unverified = w.caller({ ...w.people.DEVELOPER, emailVerified: false });
    const refusal = {
      code: "FORBIDDEN",
      message: expect.stringContaining("Verify your e-mail address first"),
    };
    const before = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    await expect(unverified.apiKeys.rotate({ apiKeyId: key.id })).rejects.toMatchObject(refusal);
    await expect(unverified.oauthClients.rotateSecret({ clientId: client.id })).rejects.toMatchObject(
      refusal,
    );
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).hash).toBe(before.hash);
    // verified, the same person rotates it
    await expect(verified.apiKeys.rotate({ apiKeyId: key.id })).resolves.toMatchObject({
      secret: expect.any(String),
    });
  });
});
