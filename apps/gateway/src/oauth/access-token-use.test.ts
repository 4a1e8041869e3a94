import { generateKeyPairSync } from "node:crypto";
import {
  cliActor,
  DEFAULT_RETIREMENT_DELAY_MS,
  issueAccessToken,
  type RevocationBus,
  revokeOAuthClient,
  rotateSigningKey,
} from "@dsc/core";
import { decodeProtectedHeader, SignJWT } from "jose";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  jsonOf,
  requestAccessToken,
  startTestGateway,
  TEST_ISSUER,
  TEST_SIGNING_SECRET,
} from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());

/** A revocation bus inside this process: what another instance would publish, delivered here. */
function inProcessBus(): RevocationBus {
  const listeners: ((id: string | null) => void)[] = [];
  return {
    publish: async (id) => {
      for (const fn of listeners) fn(id);
    },
    subscribe: async (fn) => void listeners.push(fn),
    close: async () => {},
  };
}
const bus = inProcessBus();

beforeAll(async () => {
  t = await createTestDatabase();
  // a long cache TTL: only the revocation message can make the gateway forget a client
  gateway = await startTestGateway({
    db: t.db,
    clock,
    revocations: bus,
    cacheTtlMs: 60_000,
    lastUsedFlushMs: 600_000,
  });
});
afterAll(() => gateway.close());

async function newToken(scopes?: string[], scope?: string) {
  const { org, client, secret } = await createOrgWithOAuthClient(t.db, { scopes, clock });
  const token = await requestAccessToken(gateway.url, { clientId: client.id, secret, scope });
  return { org, client, secret, token };
}

const getModels = (token: string) =>
  fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });

async function expectRefused(token: string) {
  const response = await getModels(token);
  expect(response.status).toBe(401);
  expect((await jsonOf(response)).error).toMatchObject({ code: "invalid_api_key" });
}

describe("an access token works wherever an API key works", () => {
  it("as the apiKey of the official openai SDK on /v1/chat/completions and /v1/models", async () => {
    const { token } = await newToken(["chat", "models:read"]);
    const openai = new OpenAI({ apiKey: token, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: "deepseek-chst-1.0",
      messages: [{ role: "user", content: "Hello from an OAuth client" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toMatch(/built-in local model/);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toContain("deepseek-chst-1.0");
  });

  it("carries only the scopes asked for at the token endpoint", async () => {
    const { token } = await newToken(["chat", "models:read"], "chat");
    const response = await getModels(token);
    expect(response.status).toBe(403);
    expect((await jsonOf(response)).error).toMatchObject({ code: "insufficient_scope" });
  });
});

describe("refused access tokens", () => {
  it("an expired token", async () => {
    const { token } = await newToken();
    expect((await getModels(token)).status).toBe(200);
    clock.advance(3_600_000);
    await expectRefused(token);
  });

  it("a tampered token: payload changed, or signature changed", async () => {
    const { token } = await newToken(["chat"]);
    expect((await getModels(token)).status).toBe(403); // valid, but without models:read
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: "chat models:read admin" })).toString(
      "base64url",
    );
    await expectRefused(`${header}.${widened}.${signature}`);
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    await expectRefused(`${header}.${payload}.${flipped}`);
  });

  it("a token for another audience, or from another issuer, signed with the real key", async () => {
    const { org, client } = await newToken();
    const sign = (tokens: { issuer: string; audience: string }) =>
      issueAccessToken(
        { keys: gateway.oauth.keys, clock, tokens: { ...tokens, lifetimeMs: 600_000 } },
        { clientId: client.id, organizationId: org.id, scopes: ["models:read"] },
      );
    const right = await sign({ issuer: TEST_ISSUER, audience: `${TEST_ISSUER}/v1` });
    expect((await getModels(right.token)).status).toBe(200);
    await expectRefused((await sign({ issuer: TEST_ISSUER, audience: "https://other.example/v1" })).token);
    await expectRefused(
      (await sign({ issuer: "https://evil.example", audience: `${TEST_ISSUER}/v1` })).token,
    );
  });

  it("a token signed by a key that is not ours, even under our kid, and an unsigned one", async () => {
    const { org, client, token } = await newToken();
    const { kid } = decodeProtectedHeader(token);
    const { privateKey } = generateKeyPairSync("ed25519");
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({ client_id: client.id, org: org.id, scope: "models:read" })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .setIssuer(TEST_ISSUER)
      .setAudience(`${TEST_ISSUER}/v1`)
      .setSubject(client.id)
      .setJti("at_forged")
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    await expectRefused(forged);
    const [, payload] = token.split(".");
    const none = Buffer.from(JSON.stringify({ alg: "none", kid, typ: "at+jwt" })).toString("base64url");
    await expectRefused(`${none}.${payload}.`);
    await expectRefused(`${none}.${payload}.AAAA`);
  });

  it("the live tokens of a revoked client, as soon as the revocation message arrives", async () => {
    const { client, token } = await newToken();
    expect((await getModels(token)).status).toBe(200);
    expect(gateway.accessTokens.cachedClients).toBeGreaterThan(0);
    await revokeOAuthClient(
      { db: t.db, clock, revocations: bus },
      { clientId: client.id, actor: cliActor("test") },
    );
    await expectRefused(token);
  });

  it("a token whose client's secret leaked is not a client secret: secrets are no bearer credentials", async () => {
    const { secret } = await newToken();
    await expectRefused(secret);
  });
});

describe("signing-key rotation", () => {
  it("old tokens keep verifying, new tokens carry the new kid, and a retired key stops verifying", async () => {
    const { client, secret, token: before } = await newToken();
    const oldKid = decodeProtectedHeader(before).kid;

    const rotated = await rotateSigningKey(
      { db: t.db, clock, signingSecret: TEST_SIGNING_SECRET },
      { actor: cliActor("test") },
    );
    expect(rotated.replaced.map((key) => key.kid)).toContain(oldKid);
    expect(rotated.replaced[0]?.retireAfter?.getTime()).toBe(
      clock.now().getTime() + DEFAULT_RETIREMENT_DELAY_MS,
    );
    gateway.oauth.keys.refresh();

    const after = await requestAccessToken(gateway.url, { clientId: client.id, secret });
    expect(decodeProtectedHeader(after).kid).toBe(rotated.key.kid);
    expect((await getModels(before)).status).toBe(200);
    expect((await getModels(after)).status).toBe(200);
    const jwks = (await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((key) => key.kid)).toEqual([rotated.key.kid, ...rotated.replaced.map((k) => k.kid)]);

    // an emergency rotation retires the replaced key at once: its unexpired tokens stop working
    const again = await rotateSigningKey(
      { db: t.db, clock, signingSecret: TEST_SIGNING_SECRET },
      { retireAfterMs: 0, actor: cliActor("test") },
    );
    gateway.oauth.keys.refresh();
    await expectRefused(after);
    await expectRefused(before);
    const newest = await requestAccessToken(gateway.url, { clientId: client.id, secret });
    expect(decodeProtectedHeader(newest).kid).toBe(again.key.kid);
    expect((await getModels(newest)).status).toBe(200);
  });
});

describe("last_used_at", () => {
  it("is written in one batch for keys and clients, not per request, and at close", async () => {
    const { key, secret: apiKey } = await createOrgWithKey(t.db, { clock });
    const { client, token } = await newToken();
    await gateway.lastUsed.flush(); // the token request itself counted as a use
    for (let i = 0; i < 3; i++) {
      expect((await getModels(apiKey)).status).toBe(200);
      expect((await getModels(token)).status).toBe(200);
    }
    const read = async () => ({
      key: (await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt,
      client: (await t.db.oAuthClient.findUniqueOrThrow({ where: { id: client.id } })).lastUsedAt,
    });
    const before = await read();
    expect(before.key).toBeNull();
    expect(gateway.lastUsed.pending).toBe(2);
    clock.advance(1_000);
    expect((await getModels(apiKey)).status).toBe(200);
    await gateway.lastUsed.flush();
    const after = await read();
    expect(after.key?.getTime()).toBe(clock.now().getTime());
    expect(after.client?.getTime()).toBe(clock.now().getTime() - 1_000);
    expect(gateway.lastUsed.pending).toBe(0);
  });

  it("is flushed when the gateway closes", async () => {
    const other = await startTestGateway({ db: t.db, clock, lastUsedFlushMs: 600_000 });
    const { key, secret } = await createOrgWithKey(t.db, { clock });
    expect(
      (await fetch(`${other.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeNull();
    await other.close();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(clock.now());
  });
});
