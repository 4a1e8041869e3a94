import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { hashApiKeySecret } from "../credentials/credential-secret.ts";
import {
  createOAuthClient,
  listOAuthClients,
  revokeOAuthClient,
  rotateOAuthClientSecret,
} from "../credentials/oauth-clients.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { verifyClientSecret } from "./verify-client-secret.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "oauth-test-pepper-0123456789abcdef";
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock, pepper });

beforeAll(async () => {
  t = await createTestDatabase();
});

const newOrg = (name = "Acme") => createOrganization(deps(), { name, tier: "free", actor });

function recordingBus() {
  const published: string[] = [];
  return { published, publish: async (id: string) => void published.push(id) };
}

describe("createOAuthClient", () => {
  it("returns the secret once and stores only its keyed hash and display prefix", async () => {
    const org = await newOrg();
    const { client, secret } = await createOAuthClient(deps(), {
      organizationId: org.id,
      name: "billing-sync",
      scopes: ["chat", "models:read", "chat"],
      actor,
    });
    expect(client.id).toMatch(/^oc_[0-9A-Za-z]{24}$/);
    expect(secret).toMatch(/^cs-[0-9A-Za-z]{48}$/);
    expect(client).toMatchObject({ name: "billing-sync", scopes: ["chat", "models:read"], state: "active" });
    expect(client.secretPrefix).toBe(`${secret.slice(0, 6)}…${secret.slice(-4)}`);

    const row = await t.db.oAuthClient.findUniqueOrThrow({ where: { id: client.id } });
    expect(row.secretHash).toBe(hashApiKeySecret(secret, pepper));
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: client.id } });
    expect(audit).toMatchObject({
      action: "oauth_client.create",
      actorId: "test",
      origin: "cli",
      organizationId: org.id,
      targetType: "oauth_client",
    });
    expect(JSON.stringify(audit.metadata)).not.toContain(secret.slice(3));
  });

  it("defaults the scopes, applies an expiry, and refuses unknown scopes and organizations", async () => {
    const org = await newOrg();
    const { client } = await createOAuthClient(deps(), {
      organizationId: org.id,
      expiresInMs: 3_600_000,
      actor,
    });
    expect(client.scopes).toEqual(["models:read", "chat", "files"]);
    expect(client.expiresAt?.getTime()).toBe(clock.now().getTime() + 3_600_000);
    await expect(
      createOAuthClient(deps(), { organizationId: org.id, scopes: ["root"], actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "scopes" });
    await expect(createOAuthClient(deps(), { organizationId: "org_missing", actor })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("listOAuthClients", () => {
  it("lists an organization's clients only, newest first, with their state and never a hash", async () => {
    const [a, b] = [await newOrg("A"), await newOrg("B")];
    const first = await createOAuthClient(deps(), { organizationId: a.id, actor });
    clock.advance(1_000);
    const second = await createOAuthClient(deps(), { organizationId: a.id, expiresInMs: 60_000, actor });
    await createOAuthClient(deps(), { organizationId: b.id, actor });
    clock.advance(60_000);
    const clients = await listOAuthClients(deps(), { organizationId: a.id });
    expect(clients.map((c) => c.id)).toEqual([second.client.id, first.client.id]);
    expect(clients.map((c) => c.state)).toEqual(["expired", "active"]);
    expect(JSON.stringify(clients)).not.toMatch(/hash/i);
  });
});

describe("revokeOAuthClient", () => {
  it("revokes once, records it, tells every gateway, and hides clients of other organizations", async () => {
    const [a, b] = [await newOrg("A"), await newOrg("B")];
    const { client, secret } = await createOAuthClient(deps(), { organizationId: a.id, actor });
    const bus = recordingBus();
    await expect(
      revokeOAuthClient(
        { ...deps(), revocations: bus },
        { clientId: client.id, organizationId: b.id, actor },
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(bus.published).toEqual([]);

    const revoked = await revokeOAuthClient({ ...deps(), revocations: bus }, { clientId: client.id, actor });
    expect(revoked.state).toBe("revoked");
    expect(bus.published).toEqual([client.id]);
    const again = await revokeOAuthClient(deps(), { clientId: client.id, actor });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    expect(
      await t.db.auditEvent.count({ where: { targetId: client.id, action: "oauth_client.revoke" } }),
    ).toBe(1);
    expect(await verifyClientSecret(deps(), { clientId: client.id, clientSecret: secret })).toBeNull();
  });
});

describe("rotateOAuthClientSecret", () => {
  it("accepts the old secret during the grace period (24 h by default), then only the new one", async () => {
    const org = await newOrg();
    const { client, secret: old } = await createOAuthClient(deps(), { organizationId: org.id, actor });
    const rotated = await rotateOAuthClientSecret(deps(), { clientId: client.id, actor });
    expect(rotated.secret).not.toBe(old);
    expect(rotated.client.secretPrefix).toBe(`${rotated.secret.slice(0, 6)}…${rotated.secret.slice(-4)}`);
    expect(rotated.previousSecretExpiresAt?.getTime()).toBe(clock.now().getTime() + 86_400_000);
    expect(rotated.client.previousSecretExpiresAt).toEqual(rotated.previousSecretExpiresAt);
    const check = (clientSecret: string) => verifyClientSecret(deps(), { clientId: client.id, clientSecret });

    expect((await check(old))?.id).toBe(client.id);
    expect((await check(rotated.secret))?.id).toBe(client.id);
    clock.advance(86_400_000 - 1);
    expect(await check(old)).not.toBeNull();
    clock.advance(1);
    expect(await check(old)).toBeNull();
    expect(await check(rotated.secret)).not.toBeNull();

    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: client.id, action: "oauth_client.rotate_secret" },
    });
    expect(audit.metadata).toMatchObject({ prefix: rotated.client.secretPrefix });
    expect(JSON.stringify(audit.metadata)).not.toContain(rotated.secret.slice(3));
  });

  it("with a zero grace period refuses the old secret at once; a second rotation drops the first secret", async () => {
    const org = await newOrg();
    const { client, secret: first } = await createOAuthClient(deps(), { organizationId: org.id, actor });
    const check = (clientSecret: string) => verifyClientSecret(deps(), { clientId: client.id, clientSecret });
    const { secret: second } = await rotateOAuthClientSecret(deps(), { clientId: client.id, actor });
    const { secret: third } = await rotateOAuthClientSecret(deps(), { clientId: client.id, actor });
    expect([await check(first), await check(second), await check(third)].map((c) => c !== null)).toEqual([
      false,
      true,
      true,
    ]);
    const { secret: fourth } = await rotateOAuthClientSecret(deps(), {
      clientId: client.id,
      gracePeriodMs: 0,
      actor,
    });
    expect(await check(third)).toBeNull();
    expect(await check(fourth)).not.toBeNull();
  });

  it("refuses revoked clients, other organizations and bad grace periods", async () => {
    const [a, b] = [await newOrg("A"), await newOrg("B")];
    const { client } = await createOAuthClient(deps(), { organizationId: a.id, actor });
    await expect(
      rotateOAuthClientSecret(deps(), { clientId: client.id, organizationId: b.id, actor }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      rotateOAuthClientSecret(deps(), { clientId: client.id, gracePeriodMs: 31 * 86_400_000, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "grace" });
    await revokeOAuthClient(deps(), { clientId: client.id, actor });
    await expect(rotateOAuthClientSecret(deps(), { clientId: client.id, actor })).rejects.toMatchObject({
      code: "conflict",
    });
  });
});

describe("verifyClientSecret", () => {
  it("refuses wrong secrets, unknown ids, malformed input and the wrong pepper", async () => {
    const org = await newOrg();
    const { client, secret } = await createOAuthClient(deps(), { organizationId: org.id, actor });
    const check = (clientId: string, clientSecret: string, p = pepper) =>
      verifyClientSecret({ ...deps(), pepper: p }, { clientId, clientSecret });
    expect((await check(client.id, secret))?.organizationId).toBe(org.id);
    expect(await check(client.id, `${secret.slice(0, -1)}${secret.endsWith("x") ? "y" : "x"}`)).toBeNull();
    expect(await check("oc_000000000000000000000000", secret)).toBeNull();
    expect(await check(client.id, "short")).toBeNull();
    expect(await check(`${client.id}'; --`, secret)).toBeNull();
    expect(await check(client.id, secret, `${pepper}x`)).toBeNull();
  });
});
