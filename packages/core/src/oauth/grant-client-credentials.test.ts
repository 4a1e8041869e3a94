import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOAuthClient } from "../credentials/oauth-clients.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { verifyAccessToken } from "./access-token.ts";
import { ClientAuthenticationThrottled, grantClientCredentials } from "./grant-client-credentials.ts";
import { createSigningKeyRing } from "./signing-key-ring.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "grant-test-pepper-0123456789abcdef";
const tokens = { issuer: "https://api.test", audience: "https://api.test/v1", lifetimeMs: 3_600_000 };

beforeAll(async () => {
  t = await createTestDatabase();
});

function server(
  rules = {
    perClientAndAddress: { limit: 3, windowMs: 60_000 },
    perAddress: { limit: 5, windowMs: 60_000 },
  },
) {
  const used: string[] = [];
  return {
    used,
    deps: {
      db: t.db,
      clock,
      pepper,
      keys: createSigningKeyRing({ db: t.db, clock, signingSecret: "grant-test-signing-secret-0123456789" }),
      tokens,
      limiter: createMemoryRateLimiter({ clock }),
      bruteForce: rules,
      lastUsed: {
        recordApiKeyUse: () => {},
        recordOAuthClientUse: (id: string) => void used.push(id),
        flush: async () => {},
        close: async () => {},
        pending: 0,
      },
    },
  };
}

async function newClient(scopes?: string[]) {
  const org = await createOrganization({ db: t.db, clock }, { name: "G", tier: "free", actor: cliActor() });
  return createOAuthClient(
    { db: t.db, clock, pepper },
    { organizationId: org.id, scopes, actor: cliActor() },
  );
}

describe("grantClientCredentials", () => {
  it("issues a token with the client's scopes, or the narrower set asked for, and records the use", async () => {
    const { client, secret } = await newClient(["chat", "models:read", "files"]);
    const { deps, used } = server();
    const all = await grantClientCredentials(deps, {
      clientId: client.id,
      clientSecret: secret,
      origin: "10.0.0.1",
    });
    expect(all).toMatchObject({ tokenType: "Bearer", expiresIn: 3600, scope: "chat models:read files" });
    const narrow = await grantClientCredentials(deps, {
      clientId: client.id,
      clientSecret: secret,
      scope: "files  chat",
      origin: "10.0.0.1",
    });
    expect(narrow.scope).toBe("files chat");
    expect((await verifyAccessToken({ ...deps }, narrow.accessToken))?.scopes).toEqual(["files", "chat"]);
    expect(used).toEqual([client.id, client.id]);
  });

  it("refuses scopes beyond the client's with invalid_scope", async () => {
    const { client, secret } = await newClient(["chat"]);
    await expect(
      grantClientCredentials(server().deps, {
        clientId: client.id,
        clientSecret: secret,
        scope: "chat admin",
        origin: "10.0.0.1",
      }),
    ).rejects.toMatchObject({ code: "invalid", reason: "invalid_scope", param: "scope" });
  });

  it("refuses wrong secrets with invalid_client, and after the budget of the client at an address, the right one there too", async () => {
    const { client, secret } = await newClient();
    const { deps, used } = server();
    const attempt = (clientSecret: string, origin = "10.0.0.2") =>
      grantClientCredentials(deps, { clientId: client.id, clientSecret, origin });
    for (let i = 0; i < 3; i++) {
      await expect(attempt("cs-wrong")).rejects.toMatchObject({
        code: "unauthenticated",
        reason: "invalid_client",
      });
    }
    const refused = await attempt(secret).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientAuthenticationThrottled);
    expect(refused).toMatchObject({ code: "rate_limited", reason: "slow_down", retryAfterMs: 20_000 });
    expect(used).toEqual([]);
    clock.advance(20_000);
    await expect(attempt(secret)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("cannot be made to lock a client out: failures from other addresses leave the right secret working", async () => {
    const { client, secret } = await newClient();
    const { deps, used } = server();
    const attempt = (clientSecret: string, origin: string) =>
      grantClientCredentials(deps, { clientId: client.id, clientSecret, origin });
    // an attacker who knows the client id, from many addresses, each up to its own limits
    for (let address = 0; address < 4; address++) {
      for (let i = 0; i < 3; i++) {
        await expect(attempt("cs-guess", `192.0.2.${address}`)).rejects.toMatchObject({
          reason: "invalid_client",
        });
      }
      await expect(attempt("cs-guess", `192.0.2.${address}`)).rejects.toBeInstanceOf(
        ClientAuthenticationThrottled,
      );
    }
    await expect(attempt(secret, "10.0.0.5")).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(used).toEqual([client.id]);
  });

  it("spends nothing on successes: many right secrets in a row leave the whole budget for failures", async () => {
    const { client, secret } = await newClient();
    const { deps } = server();
    const attempt = (clientSecret: string) =>
      grantClientCredentials(deps, { clientId: client.id, clientSecret, origin: "10.0.0.6" });
    for (let i = 0; i < 10; i++) await attempt(secret);
    for (let i = 0; i < 3; i++)
      await expect(attempt("cs-wrong")).rejects.toMatchObject({ reason: "invalid_client" });
    await expect(attempt(secret)).rejects.toBeInstanceOf(ClientAuthenticationThrottled);
  });

  it("counts failures per address across clients, and successes not at all", async () => {
    const { deps } = server();
    const good = await newClient();
    for (let i = 0; i < 10; i++) {
      await grantClientCredentials(deps, {
        clientId: good.client.id,
        clientSecret: good.secret,
        origin: "10.0.0.3",
      });
    }
    for (let i = 0; i < 5; i++) {
      const { client } = await newClient();
      await expect(
        grantClientCredentials(deps, { clientId: client.id, clientSecret: "cs-guess", origin: "10.0.0.3" }),
      ).rejects.toMatchObject({ reason: "invalid_client" });
    }
    await expect(
      grantClientCredentials(deps, {
        clientId: good.client.id,
        clientSecret: good.secret,
        origin: "10.0.0.3",
      }),
    ).rejects.toBeInstanceOf(ClientAuthenticationThrottled);
    await expect(
      grantClientCredentials(deps, {
        clientId: good.client.id,
        clientSecret: good.secret,
        origin: "10.0.0.4",
      }),
    ).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("counts the addresses of one IPv6 /64 as one address, so hopping within it gains nothing", async () => {
    const { deps } = server();
    for (let host = 1; host <= 5; host++) {
      const { client } = await newClient();
      await expect(
        grantClientCredentials(deps, {
          clientId: client.id,
          clientSecret: "cs-guess",
          origin: `2001:db8:5::${host}`,
        }),
      ).rejects.toMatchObject({ reason: "invalid_client" });
    }
    const good = await newClient();
    await expect(
      grantClientCredentials(deps, {
        clientId: good.client.id,
        clientSecret: good.secret,
        origin: "2001:db8:5::ffff",
      }),
    ).rejects.toBeInstanceOf(ClientAuthenticationThrottled);
    await expect(
      grantClientCredentials(deps, {
        clientId: good.client.id,
        clientSecret: good.secret,
        origin: "2001:db8:6::1",
      }),
    ).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});
