import { generateKeyPairSync } from "node:crypto";
import { decodeProtectedHeader, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { issueAccessToken, verifyAccessToken } from "./access-token.ts";
import { createSigningKeyRing } from "./signing-key-ring.ts";
import {
  DEFAULT_RETIREMENT_DELAY_MS,
  ensureSigningKey,
  listSigningKeys,
  rotateSigningKey,
} from "./signing-keys.ts";

let t: TestDatabase;
const clock = fakeClock();
const signingSecret = "core-test-signing-secret-0123456789abc";
const tokens = { issuer: "https://api.test", audience: "https://api.test/v1", lifetimeMs: 3_600_000 };
const claims = {
  clientId: "oc_client",
  organizationId: "org_acme",
  scopes: ["chat", "models:read"] as const,
};

beforeAll(async () => {
  t = await createTestDatabase();
});

const ring = (options: { secret?: string; refreshCooldownMs?: number } = {}) =>
  createSigningKeyRing({
    db: t.db,
    clock,
    signingSecret: options.secret ?? signingSecret,
    refreshCooldownMs: options.refreshCooldownMs,
  });
const keyDeps = () => ({ db: t.db, clock, signingSecret });

describe("signing keys", () => {
  it("instances starting together create one key between them", async () => {
    const rings = [ring(), ring(), ring(), ring()];
    const kids = await Promise.all(rings.map(async (r) => (await r.signingKey()).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await t.db.signingKey.count()).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "signing_key.create" } })).toBe(1);
  });

  it("are stored with the private key encrypted, and publish only the public key", async () => {
    const key = await ensureSigningKey(keyDeps(), cliActor("test"));
    const exported = (await ring().signingKey()).privateKey.export({ type: "pkcs8", format: "der" });
    expect(Buffer.from(key.privateKeyCiphertext).includes(exported.subarray(-32))).toBe(false);
    const { keys } = await ring().jwks();
    expect(keys[0]).toMatchObject({ kid: key.id, kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("cannot sign under another SIGNING_KEY_SECRET, but still verifies", async () => {
    const issued = await issueAccessToken({ keys: ring(), clock, tokens }, claims);
    const other = ring({ secret: "another-signing-secret-0123456789abcdef" });
    await expect(issueAccessToken({ keys: other, clock, tokens }, claims)).rejects.toThrow(
      /SIGNING_KEY_SECRET/,
    );
    expect(await verifyAccessToken({ keys: other, clock, tokens }, issued.token)).not.toBeNull();
  });
});

describe("access tokens", () => {
  it("carry the client, organization, scopes, issuer, audience and a one-hour lifetime", async () => {
    const keys = ring();
    const issued = await issueAccessToken({ keys, clock, tokens }, claims);
    expect(issued.expiresIn).toBe(3600);
    const verified = await verifyAccessToken({ keys, clock, tokens }, issued.token);
    expect(verified).toMatchObject({
      clientId: "oc_client",
      organizationId: "org_acme",
      scopes: ["chat", "models:read"],
      issuedAt: new Date(Math.floor(clock.now().getTime() / 1000) * 1000),
      expiresAt: issued.expiresAt,
    });
    expect(verified?.tokenId).toMatch(/^at_[0-9A-Za-z]{24}$/);
    expect(decodeProtectedHeader(issued.token)).toEqual({
      alg: "EdDSA",
      kid: (await keys.signingKey()).kid,
      typ: "at+jwt",
    });
  });

  it("expire at exp, never outlive their client, and never live longer than an hour", async () => {
    const keys = ring();
    const start = clock.now().getTime();
    const issued = await issueAccessToken({ keys, clock, tokens }, claims);
    clock.advance(3_599_000);
    expect(await verifyAccessToken({ keys, clock, tokens }, issued.token)).not.toBeNull();
    clock.advance(1_000);
    expect(await verifyAccessToken({ keys, clock, tokens }, issued.token)).toBeNull();
    clock.set(new Date(start));

    const capped = await issueAccessToken(
      { keys, clock, tokens },
      { ...claims, notAfter: new Date(start + 120_000) },
    );
    expect(capped.expiresIn).toBe(120);
    const long = await issueAccessToken(
      { keys, clock, tokens: { ...tokens, lifetimeMs: 86_400_000 } },
      claims,
    );
    expect(long.expiresIn).toBe(3600);
  });

  it("refuse tampering, other audiences and issuers, foreign keys, `none`, and garbage", async () => {
    const keys = ring();
    const { token } = await issueAccessToken({ keys, clock, tokens }, claims);
    const verify = (value: string, settings = tokens) =>
      verifyAccessToken({ keys, clock, tokens: settings }, value);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const altered = JSON.parse(Buffer.from(payload, "base64url").toString());
    const widened = Buffer.from(JSON.stringify({ ...altered, scope: "admin" })).toString("base64url");

    expect(await verify(token)).not.toBeNull();
    expect(await verify(`${header}.${widened}.${signature}`)).toBeNull();
    expect(await verify(token, { ...tokens, audience: "https://other.test/v1" })).toBeNull();
    expect(await verify(token, { ...tokens, issuer: "https://other.test" })).toBeNull();

    const { privateKey } = generateKeyPairSync("ed25519");
    const now = Math.floor(clock.now().getTime() / 1000);
    const foreign = await new SignJWT({ client_id: "oc_client", org: "org_acme", scope: "admin" })
      .setProtectedHeader({ alg: "EdDSA", kid: decodeProtectedHeader(token).kid, typ: "at+jwt" })
      .setIssuer(tokens.issuer)
      .setAudience(tokens.audience)
      .setSubject("oc_client")
      .setJti("at_x")
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    expect(await verify(foreign)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url");
    expect(await verify(`${none}.${payload}.`)).toBeNull();
    expect(await verify("eyJhbGciOiJFZERTQSJ9.eyJ9.AAAA")).toBeNull();
    expect(await verify("sk-notatoken")).toBeNull();
  });
});

describe("signing-key rotation", () => {
  it("signs new tokens with the new kid while old tokens verify until the old key retires", async () => {
    const signer = ring();
    const verifier = ring({ refreshCooldownMs: 0 }); // another instance, its key set loaded already
    const before = await issueAccessToken({ keys: signer, clock, tokens }, claims);
    expect(await verifyAccessToken({ keys: verifier, clock, tokens }, before.token)).not.toBeNull();
    const oldKid = decodeProtectedHeader(before.token).kid as string;

    clock.advance(1_000);
    const rotated = await rotateSigningKey(keyDeps(), { actor: cliActor("ops") });
    expect(rotated.replaced.map((key) => key.kid)).toContain(oldKid);
    expect(rotated.replaced.every((key) => key.state === "verifying")).toBe(true);
    signer.refresh();
    const after = await issueAccessToken({ keys: signer, clock, tokens }, claims);
    expect(decodeProtectedHeader(after.token).kid).toBe(rotated.key.kid);

    // the other instance has not refreshed: the unknown kid makes it reload
    expect(await verifyAccessToken({ keys: verifier, clock, tokens }, after.token)).not.toBeNull();
    expect(await verifyAccessToken({ keys: verifier, clock, tokens }, before.token)).not.toBeNull();
    expect((await verifier.jwks()).keys.map((key) => key.kid)).toEqual(
      expect.arrayContaining([oldKid, rotated.key.kid]),
    );

    clock.advance(DEFAULT_RETIREMENT_DELAY_MS);
    expect(await verifier.verificationKey(oldKid)).toBeNull();
    expect(await verifier.verificationKey(rotated.key.kid)).not.toBeNull();
    expect((await verifier.jwks()).keys.map((key) => key.kid)).not.toContain(oldKid);

    const listed = await listSigningKeys({ db: t.db, clock });
    expect(listed[0]).toMatchObject({ kid: rotated.key.kid, state: "signing" });
    expect(listed.find((key) => key.kid === oldKid)?.state).toBe("retired");
    expect(
      await t.db.auditEvent.findFirstOrThrow({
        where: { targetId: rotated.key.kid, action: "signing_key.rotate" },
      }),
    ).toMatchObject({ actorId: "ops", origin: "cli", organizationId: null });
  });

  it("rotates to ES256, and an immediate retirement ends the old key's tokens", async () => {
    const keys = ring();
    const before = await issueAccessToken({ keys, clock, tokens }, claims);
    const rotated = await rotateSigningKey(keyDeps(), {
      algorithm: "ES256",
      retireAfterMs: 0,
      actor: cliActor(),
    });
    keys.refresh();
    expect(await verifyAccessToken({ keys, clock, tokens }, before.token)).toBeNull();
    const after = await issueAccessToken({ keys, clock, tokens }, claims);
    expect(decodeProtectedHeader(after.token)).toMatchObject({ alg: "ES256", kid: rotated.key.kid });
    expect(await verifyAccessToken({ keys, clock, tokens }, after.token)).not.toBeNull();
    expect((await keys.jwks()).keys).toEqual([
      expect.objectContaining({ kty: "EC", crv: "P-256", alg: "ES256" }),
    ]);
    await expect(
      rotateSigningKey(keyDeps(), { algorithm: "RS256" as never, actor: cliActor() }),
    ).rejects.toMatchObject({ code: "invalid" });
  });
});
