import { hashApiKeySecret } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld, TEST_PEPPER } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const newKey = {
  name: "ci",
  scopes: ["models:read", "chat"] as ("models:read" | "chat")[],
  expiresIn: "30d" as const,
};

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("apiKeys.create", () => {
  it("returns the secret once; only its hash is stored; audited as the person", async () => {
    const { key, secret } = await w.as("DEVELOPER").apiKeys.create({ ...newKey, organizationId: w.ownOrg });
    expect(secret).toMatch(/^sk-/);
    expect(key).toMatchObject({ name: "ci", scopes: ["models:read", "chat"], state: "active" });
    expect(key.expiresAt).not.toBeNull();
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.hash).toBe(hashApiKeySecret(secret, TEST_PEPPER));
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: key.id } });
    expect(audit).toMatchObject({
      action: "api_key.create",
      actorId: w.people.DEVELOPER.id,
      origin: "192.0.2.10",
    });
  });

  it("refuses a developer another organization, and the admin scope", async () => {
    const dev = w.as("DEVELOPER");
    await expect(dev.apiKeys.create({ ...newKey, organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      dev.apiKeys.create({ ...newKey, organizationId: w.ownOrg, scopes: ["admin"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await w
      .as("ADMIN")
      .apiKeys.create({ ...newKey, organizationId: w.otherOrg, scopes: ["admin"] });
    expect(admin.key.scopes).toEqual(["admin"]);
    await expect(
      w.as("COMPLIANCE").apiKeys.create({ ...newKey, organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      w.as("ADMIN").apiKeys.create({ ...newKey, organizationId: w.ownOrg, scopes: [] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("apiKeys.list", () => {
  it("filters by organization and state and pages on the server", async () => {
    const admin = w.as("ADMIN");
    const org = (await admin.organizations.create({ name: "Listing", tier: "free" })).id;
    const made = [];
    for (const name of ["a", "b", "c"]) {
      made.push((await admin.apiKeys.create({ ...newKey, name, organizationId: org })).key);
    }
    await admin.apiKeys.revoke({ apiKeyId: made[0]?.id ?? "" });

    const active = await admin.apiKeys.list({ organizationId: org, state: "active", limit: 1 });
    expect(active.items.map((k) => k.name)).toEqual(["c"]);
    expect(active.items[0]?.organizationName).toBe("Listing");
    const next = await admin.apiKeys.list({
      organizationId: org,
      state: "active",
      limit: 1,
      after: active.nextCursor ?? "",
    });
    expect(next.items.map((k) => k.name)).toEqual(["b"]);
    expect(next.nextCursor).toBeNull();
    const revoked = await admin.apiKeys.list({ organizationId: org, state: "revoked" });
    expect(revoked.items.map((k) => k.name)).toEqual(["a"]);
    const everywhere = await w.as("COMPLIANCE").apiKeys.list({ limit: 100 });
    expect(new Set(everywhere.items.map((k) => k.organizationId))).toContain(org);
  });

  it("shows a developer their organization's keys only, whatever they ask for", async () => {
    const dev = w.as("DEVELOPER");
    const mine = await dev.apiKeys.list({ limit: 100 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((k) => k.organizationId === w.ownOrg)).toBe(true);
    await expect(dev.apiKeys.list({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("apiKeys.revoke and apiKeys.rotate", () => {
  it("revoke publishes on the revocation bus so gateways drop the key", async () => {
    const { key } = await w.as("ADMIN").apiKeys.create({ ...newKey, organizationId: w.ownOrg });
    const revoked = await w.as("DEVELOPER").apiKeys.revoke({ apiKeyId: key.id });
    expect(revoked.state).toBe("revoked");
    expect(w.published).toContain(key.id);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: key.id, action: "api_key.revoke" },
    });
    expect(audit.actorId).toBe(w.people.DEVELOPER.id);
  });

  it("rotate gives a new secret and keeps the old one for the grace period", async () => {
    const { key, secret } = await w.as("DEVELOPER").apiKeys.create({ ...newKey, organizationId: w.ownOrg });
    const rotated = await w.as("DEVELOPER").apiKeys.rotate({ apiKeyId: key.id, gracePeriod: "1h" });
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.key.id).toBe(key.id);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    const none = await w.as("DEVELOPER").apiKeys.rotate({ apiKeyId: key.id, gracePeriod: "none" });
    expect(none.previousSecretExpiresAt).toBeNull();
  });

  it("treat another organization's key as not found for a developer", async () => {
    const { key } = await w.as("ADMIN").apiKeys.create({ ...newKey, organizationId: w.otherOrg });
    const dev = w.as("DEVELOPER");
    await expect(dev.apiKeys.revoke({ apiKeyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(dev.apiKeys.rotate({ apiKeyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
    await expect(w.as("COMPLIANCE").apiKeys.revoke({ apiKeyId: key.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
