import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createApiKey, revokeApiKey } from "../credentials/api-keys.ts";
import { generateApiKeySecret, hashApiKeySecret } from "../credentials/credential-secret.ts";
import type { Principal } from "../credentials/principal.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createCredentialCache } from "./credential-cache.ts";
import { verifyApiKey } from "./verify-api-key.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "verify-pepper-0123456789abcdef012345";
const deps = () => ({ db: t.db, clock, pepper });

beforeAll(async () => {
  t = await createTestDatabase();
});

async function newKey(expiresInMs?: number) {
  const org = await createOrganization(deps(), { name: "V", tier: "free", actor: cliActor() });
  return createApiKey(deps(), { organizationId: org.id, expiresInMs, actor: cliActor() });
}

describe("verifyApiKey", () => {
  it("returns the principal of a valid key", async () => {
    const { key, secret } = await newKey();
    expect(await verifyApiKey(deps(), secret)).toEqual({
      kind: "api_key",
      credentialId: key.id,
      organizationId: key.organizationId,
      scopes: ["models:read", "chat", "files"],
      expiresAt: null,
    });
  });

  it("refuses unknown, malformed, revoked and expired keys, and the wrong pepper", async () => {
    const { key, secret } = await newKey(60_000);
    expect(await verifyApiKey(deps(), generateApiKeySecret())).toBeNull();
    expect(await verifyApiKey(deps(), "sk-short")).toBeNull();
    expect(await verifyApiKey({ ...deps(), pepper: `${pepper}x` }, secret)).toBeNull();
    clock.advance(60_000);
    expect(await verifyApiKey(deps(), secret)).toBeNull();
    clock.advance(-60_000);
    await revokeApiKey(deps(), { apiKeyId: key.id, actor: cliActor() });
    expect(await verifyApiKey(deps(), secret)).toBeNull();
  });

  it("accepts a rotated key's previous secret only during its grace period", async () => {
    const { key, secret: old } = await newKey();
    const fresh = generateApiKeySecret();
    await t.db.apiKey.update({
      where: { id: key.id },
      data: {
        previousHash: hashApiKeySecret(old, pepper),
        previousHashExpiresAt: new Date(clock.now().getTime() + 3_600_000),
        hash: hashApiKeySecret(fresh, pepper),
      },
    });
    expect((await verifyApiKey(deps(), fresh))?.expiresAt).toBeNull();
    expect((await verifyApiKey(deps(), old))?.expiresAt?.getTime()).toBe(clock.now().getTime() + 3_600_000);
    clock.advance(3_600_000);
    expect(await verifyApiKey(deps(), old)).toBeNull();
    expect(await verifyApiKey(deps(), fresh)).not.toBeNull();
  });
});

describe("CredentialCache", () => {
  const principal = (id: string, expiresAt: Date | null = null): Principal => ({
    kind: "api_key",
    credentialId: id,
    organizationId: "org_x",
    scopes: ["chat"],
    expiresAt,
  });

  it("forgets entries after its TTL and at the credential's expiry", () => {
    const c = fakeClock();
    const cache = createCredentialCache(c, 5_000);
    cache.set("h1", principal("key_1"));
    cache.set("h2", principal("key_2", new Date(c.now().getTime() + 1_000)));
    c.advance(1_000);
    expect(cache.get("h1")).not.toBeNull();
    expect(cache.get("h2")).toBeNull();
    c.advance(4_000);
    expect(cache.get("h1")).toBeNull();
  });

  it("evicts every secret of a revoked credential, and stays bounded", () => {
    const cache = createCredentialCache(fakeClock(), 60_000, 3);
    cache.set("current", principal("key_1"));
    cache.set("previous", principal("key_1"));
    cache.set("other", principal("key_2"));
    cache.evictCredential("key_1");
    expect([cache.get("current"), cache.get("previous")]).toEqual([null, null]);
    expect(cache.get("other")).not.toBeNull();
    for (const hash of ["a", "b", "c", "d"]) cache.set(hash, principal(`key_${hash}`));
    expect(cache.size).toBe(3);
    expect(cache.get("other")).toBeNull();
  });
});
