import {
  AuthorizationServerMetadataSchema,
  JwksSchema,
  OAuthErrorResponseSchema,
  TokenResponseSchema,
} from "@dsc/api-client";
import {
  type BruteForceRules,
  cliActor,
  createMemoryRateLimiter,
  revokeOAuthClient,
  rotateOAuthClientSecret,
} from "@dsc/core";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  jsonOf,
  startTestGateway,
  TEST_ISSUER,
  TEST_PEPPER,
} from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock });
});
afterAll(() => gateway.close());

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

function postToken(
  body: string | Record<string, string> | URLSearchParams,
  headers: Record<string, string> = {},
  url = gateway.url,
) {
  const isJson = typeof body === "object" && !(body instanceof URLSearchParams);
  return fetch(`${url}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": isJson ? "application/json" : "application/x-www-form-urlencoded",
      ...headers,
    },
    body: isJson ? JSON.stringify(body) : body,
  });
}

async function expectOAuthError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = OAuthErrorResponseSchema.parse(await response.json());
  expect(body.error).toBe(error);
  expect(body.error_description).toBeTruthy();
  if (status === 401) expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="oauth2"/);
  return body;
}

async function expectToken(response: Response, scope: string) {
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("pragma")).toBe("no-cache");
  const body = TokenResponseSchema.parse(await response.json());
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope });
  return body.access_token;
}

describe("POST /oauth2/token: client authentication", () => {
  it("accepts HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1)", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db, { scopes: ["chat", "models:read"] });
    await expectToken(
      await postToken(new URLSearchParams({ grant_type: "client_credentials" }), {
        authorization: basic(client.id, secret),
      }),
      "chat models:read",
    );
    // encoded octets that need no encoding must be decoded all the same
    const encoded = `${client.id.replace("_", "%5F")}:${secret.replace("-", "%2D")}`;
    await expectToken(
      await postToken(new URLSearchParams({ grant_type: "client_credentials" }), {
        authorization: `Basic ${Buffer.from(encoded).toString("base64")}`,
      }),
      "chat models:read",
    );
  });

  it("accepts client_id and client_secret in a form body and in a JSON body", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db);
    const fields = { grant_type: "client_credentials", client_id: client.id, client_secret: secret };
    await expectToken(await postToken(new URLSearchParams(fields)), "models:read chat files");
    await expectToken(await postToken(fields), "models:read chat files");
  });

  it("issues an at+jwt signed with a published key, for this issuer and audience, with the client and org", async () => {
    const { org, client, secret } = await createOrgWithOAuthClient(t.db, { scopes: ["chat"] });
    const token = await expectToken(
      await postToken({ grant_type: "client_credentials", client_id: client.id, client_secret: secret }),
      "chat",
    );
    const jwks = JwksSchema.parse(await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json());
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "EdDSA", typ: "at+jwt" });
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: TEST_ISSUER,
      audience: `${TEST_ISSUER}/v1`,
      currentDate: clock.now(),
    });
    expect(payload).toMatchObject({ sub: client.id, client_id: client.id, org: org.id, scope: "chat" });
    expect(payload.jti).toMatch(/^at_/);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it("refuses a wrong secret, an unknown client and a missing secret with 401 invalid_client", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db);
    const wrong = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    const grant = new URLSearchParams({ grant_type: "client_credentials" });
    await expectOAuthError(
      await postToken(grant, { authorization: basic(client.id, wrong) }),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await postToken({
        grant_type: "client_credentials",
        client_id: "oc_000000000000000000000000",
        client_secret: secret,
      }),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await postToken({ grant_type: "client_credentials", client_id: client.id }),
      401,
      "invalid_client",
    );
    await expectOAuthError(await postToken(grant), 401, "invalid_client");
    await expectOAuthError(await postToken(grant, { authorization: "Basic !!!" }), 401, "invalid_client");
    await expectOAuthError(
      await postToken(grant, { authorization: `Bearer ${secret}` }),
      401,
      "invalid_client",
    );
  });

  it("refuses a revoked client and, after the grace period, a rotated-out secret", async () => {
    const revoked = await createOrgWithOAuthClient(t.db);
    await revokeOAuthClient({ db: t.db, clock }, { clientId: revoked.client.id, actor: cliActor("test") });
    const auth = (id: string, secret: string) =>
      postToken(new URLSearchParams({ grant_type: "client_credentials" }), {
        authorization: basic(id, secret),
      });
    await expectOAuthError(await auth(revoked.client.id, revoked.secret), 401, "invalid_client");

    const { client, secret: old } = await createOrgWithOAuthClient(t.db);
    const { secret: fresh } = await rotateOAuthClientSecret(
      { db: t.db, clock, pepper: TEST_PEPPER },
      { clientId: client.id, gracePeriodMs: 60_000, actor: cliActor("test") },
    );
    expect((await auth(client.id, old)).status).toBe(200);
    expect((await auth(client.id, fresh)).status).toBe(200);
    clock.advance(60_000);
    await expectOAuthError(await auth(client.id, old), 401, "invalid_client");
    expect((await auth(client.id, fresh)).status).toBe(200);
  });

  it("refuses two authentication methods at once", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db);
    await expectOAuthError(
      await postToken(
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: client.id,
          client_secret: secret,
        }),
        { authorization: basic(client.id, secret) },
      ),
      400,
      "invalid_request",
    );
  });
});

describe("POST /oauth2/token: the request", () => {
  it("answers unsupported grant types with 400 unsupported_grant_type", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db);
    for (const grantType of [
      "password",
      "authorization_code",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ]) {
      await expectOAuthError(
        await postToken({ grant_type: grantType, client_id: client.id, client_secret: secret }),
        400,
        "unsupported_grant_type",
      );
    }
  });

  it("answers missing, repeated and malformed fields with 400 invalid_request", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db);
    const missing = await expectOAuthError(
      await postToken({ client_id: client.id, client_secret: secret }),
      400,
      "invalid_request",
    );
    expect(missing.error_description).toMatch(/grant_type/);
    const repeated = new URLSearchParams([
      ["grant_type", "client_credentials"],
      ["client_id", client.id],
      ["client_secret", secret],
      ["client_secret", secret],
    ]);
    await expectOAuthError(await postToken(repeated), 400, "invalid_request");
    await expectOAuthError(
      await postToken("{not json", { "content-type": "application/json" }),
      400,
      "invalid_request",
    );
    await expectOAuthError(
      await postToken({ grant_type: "client_credentials", client_id: client.id, client_secret: 42 } as never),
      400,
      "invalid_request",
    );
  });

  it("narrows the token to the scopes asked for, and refuses scopes the client lacks", async () => {
    const { client, secret } = await createOrgWithOAuthClient(t.db, { scopes: ["chat", "models:read"] });
    const ask = (scope: string) =>
      postToken({ grant_type: "client_credentials", client_id: client.id, client_secret: secret, scope });
    await expectToken(await ask("chat"), "chat");
    await expectToken(await ask(""), "chat models:read");
    await expectOAuthError(await ask("chat admin"), 400, "invalid_scope");
    await expectOAuthError(await ask("root"), 400, "invalid_scope");
  });

  it("takes JSON and form bodies only; other routes still refuse form bodies with 415", async () => {
    await expectOAuthError(
      await postToken("grant_type=client_credentials", { "content-type": "text/plain" }),
      415,
      "invalid_request",
    );
    const { secret } = await createOrgWithKey(t.db);
    const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/x-www-form-urlencoded" },
      body: "model=x",
    });
    expect(chat.status).toBe(415);
    expect((await jsonOf(chat)).error).toMatchObject({ type: "invalid_request_error" });
  });
});

describe("POST /oauth2/token: brute force", () => {
  /** A gateway behind a trusted proxy, so that each request can say which address it comes from. */
  async function limitedGateway(clock: ReturnType<typeof fakeClock>, bruteForce: BruteForceRules) {
    const limited = await startTestGateway({
      db: t.db,
      clock,
      oauth: { limiter: createMemoryRateLimiter({ clock }), bruteForce },
      gateway: { https: { trustProxy: ["loopback"] } },
    });
    const attempt = (clientId: string, secret: string, address: string) =>
      postToken(
        { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
        { "x-forwarded-for": address, "x-forwarded-proto": "https" },
        limited.url,
      );
    return { limited, attempt };
  }

  it("refuses a client id from an address after repeated failures there, even with the right secret, until the budget refills", async () => {
    const bfClock = fakeClock(new Date());
    const { limited, attempt } = await limitedGateway(bfClock, {
      perClientAndAddress: { limit: 3, windowMs: 60_000 },
      perAddress: { limit: 100, windowMs: 60_000 },
    });
    try {
      const { client, secret } = await createOrgWithOAuthClient(t.db);
      const from = (s: string) => attempt(client.id, s, "198.51.100.1");
      // successes give their budget back
      for (let i = 0; i < 5; i++) expect((await from(secret)).status).toBe(200);
      for (let i = 0; i < 3; i++) await expectOAuthError(await from("cs-wrong"), 401, "invalid_client");
      const throttled = await from(secret);
      await expectOAuthError(throttled, 429, "slow_down");
      expect(Number(throttled.headers.get("retry-after"))).toBe(20);
      bfClock.advance(20_000);
      expect((await from(secret)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("cannot lock a client out: failures for its id from other addresses leave its right secret working", async () => {
    const bfClock = fakeClock(new Date());
    const { limited, attempt } = await limitedGateway(bfClock, {
      perClientAndAddress: { limit: 3, windowMs: 60_000 },
      perAddress: { limit: 5, windowMs: 60_000 },
    });
    try {
      const { client, secret } = await createOrgWithOAuthClient(t.db);
      // an attacker who knows the client id fails from many addresses until each is throttled
      for (let address = 1; address <= 5; address++) {
        for (let i = 0; i < 3; i++) {
          await expectOAuthError(
            await attempt(client.id, "cs-guess", `203.0.113.${address}`),
            401,
            "invalid_client",
          );
        }
        await expectOAuthError(
          await attempt(client.id, "cs-guess", `203.0.113.${address}`),
          429,
          "slow_down",
        );
      }
      const response = await attempt(client.id, secret, "198.51.100.2");
      expect(response.status).toBe(200);
      expect((await jsonOf(response)).access_token).toEqual(expect.any(String));
    } finally {
      await limited.close();
    }
  });

  it("refuses an address after repeated failures across client ids, and only that address", async () => {
    const bfClock = fakeClock(new Date());
    const { limited, attempt } = await limitedGateway(bfClock, {
      perClientAndAddress: { limit: 100, windowMs: 60_000 },
      perAddress: { limit: 4, windowMs: 60_000 },
    });
    try {
      const { client, secret } = await createOrgWithOAuthClient(t.db);
      for (let i = 0; i < 4; i++) {
        const id = `oc_${String(i).padStart(24, "0")}`;
        await expectOAuthError(await attempt(id, secret, "203.0.113.9"), 401, "invalid_client");
      }
      await expectOAuthError(await attempt(client.id, secret, "203.0.113.9"), 429, "slow_down");
      expect((await attempt(client.id, secret, "198.51.100.3")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("POST /oauth2/token: transport", () => {
  it("refuses client secrets over plain HTTP behind a proxy, and accepts them over HTTPS", async () => {
    const proxied = await startTestGateway({
      db: t.db,
      clock,
      gateway: { https: { trustProxy: ["loopback"] } },
    });
    try {
      const { client, secret } = await createOrgWithOAuthClient(t.db);
      const fields = { grant_type: "client_credentials", client_id: client.id, client_secret: secret };
      await expectOAuthError(
        await postToken(fields, { "x-forwarded-proto": "http" }, proxied.url),
        403,
        "invalid_request",
      );
      const secure = await postToken(fields, { "x-forwarded-proto": "https" }, proxied.url);
      expect(secure.status).toBe(200);
      expect(secure.headers.get("strict-transport-security")).toMatch(/max-age=/);
    } finally {
      await proxied.close();
    }
  });
});

describe("discovery", () => {
  it("serves RFC 8414 metadata naming the token endpoint, the JWKS and the scopes", async () => {
    const response = await fetch(`${gateway.url}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = AuthorizationServerMetadataSchema.parse(await response.json());
    expect(metadata).toEqual({
      issuer: TEST_ISSUER,
      token_endpoint: `${TEST_ISSUER}/oauth2/token`,
      jwks_uri: `${TEST_ISSUER}/.well-known/jwks.json`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: ["models:read", "chat", "files", "users:delete", "users:export", "admin"],
      response_types_supported: [],
    });
  });

  it("serves the public signing keys only", async () => {
    const response = await fetch(`${gateway.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=/);
    const text = await response.text();
    const { keys } = JwksSchema.parse(JSON.parse(text));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(text).not.toMatch(/"d"\s*:/);
  });
});
