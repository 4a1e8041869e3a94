import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createApiKey } from "../credentials/api-keys.ts";
import { generateClientSecret } from "../credentials/credential-secret.ts";
import { createOAuthClient } from "../credentials/oauth-clients.ts";
import type { RevocationBus } from "../credentials/revocation/revocation-bus.ts";
import { issueAccessToken } from "../oauth/access-token.ts";
import { createSigningKeyRing } from "../oauth/signing-key-ring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createAccessTokenAuthenticator } from "./access-token-authenticator.ts";
import { createApiKeyAuthenticator } from "./api-key-authenticator.ts";
import { createBearerAuthenticator } from "./bearer-authenticator.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "bearer-test-pepper-0123456789abcdef";
const tokens = { issuer: "https://api.test", audience: "https://api.test/v1", lifetimeMs: 3_600_000 };

beforeAll(async () => {
  t = await createTestDatabase();
});

function inProcessBus() {
  const listeners: ((id: string | null) => void)[] = [];
  const bus: RevocationBus = {
    publish: async (id) => {
      for (const fn of listeners) fn(id);
    },
    subscribe: async (fn) => void listeners.push(fn),
    close: async () => {},
  };
  const lost = () => {
    for (const fn of listeners) fn(null);
  };
  return { bus, lost };
}

async function setup() {
  const keys = createSigningKeyRing({
    db: t.db,
    clock,
    signingSecret: "bearer-test-signing-secret-012345678",
  });
  const { bus, lost } = inProcessBus();
  const uses: string[] = [];
  const lastUsed = {
    recordApiKeyUse: (id: string) => void uses.push(`key:${id}`),
    recordOAuthClientUse: (id: string) => void uses.push(`client:${id}`),
    flush: async () => {},
    close: async () => {},
    pending: 0,
  };
  const accessTokens = await createAccessTokenAuthenticator({
    db: t.db,
    clock,
    keys,
    tokens,
    revocations: bus,
    cacheTtlMs: 60_000,
  });
  const apiKeys = await createApiKeyAuthenticator({ db: t.db, clock, pepper, revocations: bus });
  const bearer = createBearerAuthenticator({ apiKeys, accessTokens, lastUsed });
  const org = await createOrganization({ db: t.db, clock }, { name: "B", tier: "free", actor: cliActor() });
  const deps = { db: t.db, clock, pepper };
  const { client, secret: clientSecret } = await createOAuthClient(deps, {
    organizationId: org.id,
    scopes: ["chat", "models:read"],
    actor: cliActor(),
  });
  const token = async (scopes: ("chat" | "models:read" | "admin")[] = ["chat", "models:read"]) =>
    (await issueAccessToken({ keys, clock, tokens }, { clientId: client.id, organizationId: org.id, scopes }))
      .token;
  return { bearer, accessTokens, bus, lost, uses, org, client, clientSecret, token, deps };
}

describe("createBearerAuthenticator", () => {
  it("authenticates API keys and access tokens by their shape, and records each use", async () => {
    const { bearer, uses, org, client, token, deps } = await setup();
    const { key, secret } = await createApiKey(deps, { organizationId: org.id, actor: cliActor() });
    expect(await bearer.authenticate(secret)).toMatchObject({ kind: "api_key", credentialId: key.id });
    const principal = await bearer.authenticate(await token());
    expect(principal).toMatchObject({
      kind: "oauth_client",
      credentialId: client.id,
      organizationId: org.id,
      scopes: ["chat", "models:read"],
    });
    expect(principal?.expiresAt?.getTime()).toBe(Math.floor(clock.now().getTime() / 1000) * 1000 + 3_600_000);
    expect(uses).toEqual([`key:${key.id}`, `client:${client.id}`]);
  });

  it("refuses client secrets and anything else that is neither shape", async () => {
    const { bearer, clientSecret, uses } = await setup();
    for (const value of [
      clientSecret,
      generateClientSecret(),
      "",
      "Bearer",
      "a.b.c",
      "eyJ.eyJ.x".repeat(1000),
    ]) {
      expect(await bearer.authenticate(value)).toBeNull();
    }
    expect(uses).toEqual([]);
  });
});

describe("createApiKeyAuthenticator", () => {
  it("asks the database once for a key that many requests present at the same time", async () => {
    const { org, deps, bus } = await setup();
    const { secret } = await createApiKey(deps, { organizationId: org.id, actor: cliActor() });
    const apiKeys = await createApiKeyAuthenticator({ db: t.db, clock, pepper, revocations: bus });
    const lookups = vi.spyOn(t.db.apiKey, "findFirst");
    try {
      const principals = await Promise.all(Array.from({ length: 8 }, () => apiKeys.authenticate(secret)));
      expect(new Set(principals.map((p) => p?.organizationId))).toEqual(new Set([org.id]));
      expect(lookups).toHaveBeenCalledTimes(1);
      await apiKeys.authenticate(secret); // cached now
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });
});

describe("createAccessTokenAuthenticator", () => {
  it("never grants more than the client has now", async () => {
    const { bearer, client, token } = await setup();
    expect((await bearer.authenticate(await token(["chat", "admin"])))?.scopes).toEqual(["chat"]);
    await t.db.oAuthClient.update({ where: { id: client.id }, data: { scopes: ["models:read"] } });
    const { accessTokens } = await setup(); // a fresh cache sees the narrowed client
    expect((await accessTokens.authenticate(await token()))?.scopes).toEqual(["models:read"]);
  });

  it("keeps a client's state for its TTL, drops it on a revocation message, and clears all after a lost connection", async () => {
    const { accessTokens, bus, lost, client, token } = await setup();
    const live = await token();
    expect(await accessTokens.authenticate(live)).not.toBeNull();
    expect(accessTokens.cachedClients).toBe(1);

    // revoked without a message: the cached state still says active until the TTL
    await t.db.oAuthClient.update({ where: { id: client.id }, data: { revokedAt: clock.now() } });
    expect(await accessTokens.authenticate(live)).not.toBeNull();
    await bus.publish(client.id);
    expect(accessTokens.cachedClients).toBe(0);
    expect(await accessTokens.authenticate(live)).toBeNull();

    await t.db.oAuthClient.update({ where: { id: client.id }, data: { revokedAt: null } });
    lost();
    expect(await accessTokens.authenticate(live)).not.toBeNull();
    await t.db.oAuthClient.update({ where: { id: client.id }, data: { revokedAt: clock.now() } });
    clock.advance(60_000);
    expect(await accessTokens.authenticate(live)).toBeNull();
  });

  it("does not cache a state read while a revocation message arrived", async () => {
    const { accessTokens, bus, client, token } = await setup();
    const live = await token();
    const read = t.db.oAuthClient.findUnique;
    // the message arrives while the database read is in flight
    const during = vi
      .spyOn(t.db.oAuthClient, "findUnique")
      .mockImplementationOnce(((args: never) => bus.publish(client.id).then(() => read(args))) as never);
    expect(await accessTokens.authenticate(live)).not.toBeNull();
    expect(during).toHaveBeenCalledTimes(1);
    expect(accessTokens.cachedClients).toBe(0);
    during.mockRestore();
    expect(await accessTokens.authenticate(live)).not.toBeNull();
    expect(accessTokens.cachedClients).toBe(1);
  });
});
