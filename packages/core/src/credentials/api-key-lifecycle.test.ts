import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.ts";
import { hashApiKeySecret } from "./credential-secret.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "test-pepper-0123456789";
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock, pepper });

beforeAll(async () => {
  t = await createTestDatabase();
});

async function newOrg(name = "Acme") {
  return createOrganization(deps(), { name, tier: "free", actor });
}

describe("createApiKey", () => {
  it("returns the secret once and stores only its keyed hash and display prefix", async () => {
    const org = await newOrg();
    const { key, secret } = await createApiKey(deps(), { organizationId: org.id, name: "ci", actor });
    expect(secret).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(key.id).toMatch(/^key_[0-9A-Za-z]{24}$/);
    expect(key.scopes).toEqual(["models:read", "chat", "files"]);
    expect(key.state).toBe("active");

    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.hash).toBe(hashApiKeySecret(secret, pepper));
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));
    expect(row.prefix).toBe(key.prefix);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: key.id } });
    expect(audit).toMatchObject({
      action: "api_key.create",
      actorId: "test",
      origin: "cli",
      organizationId: org.id,
    });
    expect(JSON.stringify(audit.metadata)).not.toContain(secret.slice(3));
  });

  it("applies scopes and an expiry", async () => {
    const org = await newOrg();
    const { key } = await createApiKey(deps(), {
      organizationId: org.id,
      scopes: ["chat", "chat"],
      expiresInMs: 30 * 86_400_000,
      actor,
    });
    expect(key.scopes).toEqual(["chat"]);
    expect(key.expiresAt?.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
  });

  it("refuses unknown scopes and unknown organizations", async () => {
    const org = await newOrg();
    await expect(
      createApiKey(deps(), { organizationId: org.id, scopes: ["root"], actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "scopes",
    });
    await expect(createApiKey(deps(), { organizationId: "org_missing", actor })).rejects.toBeInstanceOf(
      DomainError,
    );
  });
});

describe("listApiKeys and revokeApiKey", () => {
  it("lists an organization's keys only, with their state", async () => {
    const [a, b] = [await newOrg("A"), await newOrg("B")];
    const first = await createApiKey(deps(), { organizationId: a.id, name: "one", actor });
    clock.advance(1000);
    const second = await createApiKey(deps(), {
      organizationId: a.id,
      name: "two",
      expiresInMs: 60_000,
      actor,
    });
    await createApiKey(deps(), { organizationId: b.id, actor });

    clock.advance(120_000);
    const keys = await listApiKeys(deps(), { organizationId: a.id });
    expect(keys.map((k) => k.id)).toEqual([second.key.id, first.key.id]);
    expect(keys.map((k) => k.state)).toEqual(["expired", "active"]);
    expect(Object.keys(keys[0] ?? {})).not.toContain("hash");
  });

  it("revokes once, records it, and hides keys of other organizations", async () => {
    const [a, b] = [await newOrg("A"), await newOrg("B")];
    const { key } = await createApiKey(deps(), { organizationId: a.id, actor });
    await expect(
      revokeApiKey(deps(), { apiKeyId: key.id, organizationId: b.id, actor }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    const revoked = await revokeApiKey(deps(), { apiKeyId: key.id, actor });
    expect(revoked.state).toBe("revoked");
    const again = await revokeApiKey(deps(), { apiKeyId: key.id, actor });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    expect(await t.db.auditEvent.count({ where: { targetId: key.id, action: "api_key.revoke" } })).toBe(1);
  });
});
