import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "../credentials/api-keys.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { verifyApiKey } from "./verify-api-key.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "rotate-test-pepper-0123456789abcdef";
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock, pepper });

beforeAll(async () => {
  t = await createTestDatabase();
});

async function newKey(name = "R") {
  const org = await createOrganization(deps(), { name, tier: "free", actor });
  return { org, ...(await createApiKey(deps(), { organizationId: org.id, scopes: ["chat"], actor })) };
}

describe("rotateApiKey", () => {
  it("gives a new secret; the old one works for 24 h by default, then is refused", async () => {
    const { key, secret: old } = await newKey();
    const published: string[] = [];
    const rotated = await rotateApiKey(
      { ...deps(), revocations: { publish: async (id) => void published.push(id) } },
      { apiKeyId: key.id, actor },
    );
    expect(rotated.secret).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(rotated.secret).not.toBe(old);
    expect(rotated.key).toMatchObject({ id: key.id, scopes: ["chat"], state: "active" });
    expect(rotated.key.prefix).toBe(`${rotated.secret.slice(0, 6)}…${rotated.secret.slice(-4)}`);
    const graceEnd = clock.now().getTime() + 24 * 3_600_000;
    expect(rotated.previousSecretExpiresAt?.getTime()).toBe(graceEnd);
    // gateways drop what they cached for the key, so the grace end applies at once
    expect(published).toEqual([key.id]);

    expect((await verifyApiKey(deps(), old))?.expiresAt?.getTime()).toBe(graceEnd);
    expect((await verifyApiKey(deps(), rotated.secret))?.credentialId).toBe(key.id);
    clock.advance(24 * 3_600_000 - 1);
    expect(await verifyApiKey(deps(), old)).not.toBeNull();
    clock.advance(1);
    expect(await verifyApiKey(deps(), old)).toBeNull();
    expect(await verifyApiKey(deps(), rotated.secret)).not.toBeNull();
    expect(
      (await listApiKeys(deps(), { organizationId: key.organizationId }))[0]?.previousSecretExpiresAt,
    ).toBeNull();
  });

  it("takes a grace period; zero refuses the old secret at once", async () => {
    const { key, secret: old } = await newKey();
    const rotated = await rotateApiKey(deps(), { apiKeyId: key.id, gracePeriodMs: 3_600_000, actor });
    const [listed] = await listApiKeys(deps(), { organizationId: key.organizationId });
    expect(listed?.previousSecretExpiresAt?.getTime()).toBe(clock.now().getTime() + 3_600_000);
    const again = await rotateApiKey(deps(), { apiKeyId: key.id, gracePeriodMs: 0, actor });
    expect(again.previousSecretExpiresAt).toBeNull();
    expect(await verifyApiKey(deps(), old)).toBeNull();
    expect(await verifyApiKey(deps(), rotated.secret)).toBeNull();
    expect(await verifyApiKey(deps(), again.secret)).not.toBeNull();
  });

  it("records who rotated, without secrets", async () => {
    const { key } = await newKey();
    const { secret } = await rotateApiKey(deps(), {
      apiKeyId: key.id,
      actor: { type: "USER", id: "usr_1", origin: "203.0.113.9" },
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: key.id, action: "api_key.rotate" },
    });
    expect(audit).toMatchObject({
      actorType: "USER",
      actorId: "usr_1",
      origin: "203.0.113.9",
      occurredAt: clock.now(),
    });
    expect(audit.metadata).toMatchObject({ previousPrefix: key.prefix });
    expect(JSON.stringify(audit.metadata)).not.toContain(secret.slice(3));
  });

  it("refuses revoked keys, keys of other organizations and grace periods over 30 days", async () => {
    const { key } = await newKey();
    const other = await newKey("Other");
    await expect(
      rotateApiKey(deps(), { apiKeyId: key.id, organizationId: other.org.id, actor }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      rotateApiKey(deps(), { apiKeyId: key.id, gracePeriodMs: 31 * 86_400_000, actor }),
    ).rejects.toMatchObject({ code: "invalid" });
    await revokeApiKey(deps(), { apiKeyId: key.id, actor });
    await expect(rotateApiKey(deps(), { apiKeyId: key.id, actor })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await t.db.auditEvent.count({ where: { targetId: key.id, action: "api_key.rotate" } })).toBe(0);
  });
});
