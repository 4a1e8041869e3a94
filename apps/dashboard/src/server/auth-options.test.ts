import {
  cliActor,
  createMemoryRateLimiter,
  createOrganization,
  createUser,
  deactivateUser,
  findUserByVerifiedEmail,
} from "@dsc/core";
import { createDatabaseClient } from "@dsc/db";
import type { NextAuthOptions } from "next-auth";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { parseDashboardEnv } from "../env.ts";
import { type AuthDeps, buildAuthOptions, SIGN_IN_ERRORS } from "./auth-options.ts";
import { LOGIN_LIMITS, LoginThrottle } from "./login-throttle.ts";

let t: TestDatabase;
let orgId: string;
const clock = fakeClock();
const env = parseDashboardEnv({ DATA_DIR: "/tmp/unused" });
/** failures one address may make at one account before it waits */
const BURST = LOGIN_LIMITS.perAccountAddress[0]?.limit ?? 0;

beforeAll(async () => {
  t = await createTestDatabase();
  orgId = (await createOrganization({ db: t.db, clock }, { name: "Auth", tier: "free", actor: cliActor() }))
    .id;
});

function deps(overrides: Partial<AuthDeps> = {}): AuthDeps {
  return {
    env,
    db: t.db,
    clock,
    nextAuthSecret: "n".repeat(40),
    loginThrottle: new LoginThrottle(createMemoryRateLimiter({ clock })),
    ...overrides,
  };
}

async function person(password: string | null = "the right password") {
  const email = `p-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const user = await createUser(
    { db: t.db, clock },
    { email, role: "DEVELOPER", organizationId: orgId, password, actor: cliActor() },
  );
  return { ...user, email };
}

/** The credentials provider's authorize, as NextAuth calls it for POST /api/auth/callback/credentials. */
function authorize(options: NextAuthOptions, email: string, password: string, address = "198.51.100.7") {
  // biome-ignore lint/suspicious/noExplicitAny: NextAuth keeps the user's authorize in provider.options
  const provider = options.providers[0] as any;
  return provider.options.authorize(
    { email, password },
    { headers: { "x-forwarded-for": address }, body: {}, query: {}, method: "POST" },
  );
}

describe("the credentials provider", () => {
  it("signs a person in with the right password, and the session token names them", async () => {
    const user = await person();
    const options = buildAuthOptions(deps(), { origin: "198.51.100.7" });
    const signedIn = await authorize(options, user.email.toUpperCase(), "the right password");
    expect(signedIn).toMatchObject({ id: user.id, email: user.email, identity: { role: "DEVELOPER" } });

    const token = await options.callbacks?.jwt?.({
      token: {},
      user: signedIn,
      account: { provider: "credentials", type: "credentials", providerAccountId: user.id },
    });
    expect(token).toEqual({
      sub: user.id,
      name: null,
      email: user.email,
      cv: signedIn.identity.credentialVersion,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: user.id, action: "user.sign_in" },
    });
    expect(audit).toMatchObject({ origin: "198.51.100.7", metadata: { method: "credentials" } });
  });

  it("refuses a wrong password, an unknown address and malformed input without saying which", async () => {
    const user = await person();
    const options = buildAuthOptions(deps(), { origin: "x" });
    expect(await authorize(options, user.email, "the wrong password")).toBeNull();
    expect(await authorize(options, "nobody@example.com", "the right password")).toBeNull();
    expect(await authorize(options, "not an e-mail", "the right password")).toBeNull();
  });

  it("names a deactivated account", async () => {
    const user = await person();
    await deactivateUser({ db: t.db, clock }, { userId: user.id, actor: cliActor() });
    await expect(
      authorize(buildAuthOptions(deps(), { origin: "x" }), user.email, "the right password"),
    ).rejects.toThrow(SIGN_IN_ERRORS.deactivated);
  });

  it("cannot be used to lock the admin out: failures from elsewhere leave the admin's own address alone", async () => {
    const user = await person();
    const options = buildAuthOptions(deps(), { origin: "x" });
    // far more failures than any budget, from one address and from many
    for (let i = 0; i < 40; i++) {
      await authorize(options, user.email, `guess ${i}`, "203.0.113.66").catch(() => null);
      await authorize(options, user.email, `guess ${i}`, `192.0.2.${i}`).catch(() => null);
    }
    const signedIn = await authorize(options, user.email, "the right password", "198.51.100.20");
    expect(signedIn).toMatchObject({ id: user.id });
  });

  it("makes the guessing address wait, right password or not, and says how long", async () => {
    const user = await person();
    const refusals: number[] = [];
    const options = buildAuthOptions(deps(), { origin: "x", onRefused: (ms) => refusals.push(ms) });
    for (let i = 0; i < BURST; i++)
      expect(await authorize(options, user.email, `guess ${i}`, "203.0.113.7")).toBeNull();
    // the sixth attempt from there waits 12 s (one attempt per 12 s refills 5 a minute)
    await expect(authorize(options, user.email, "the right password", "203.0.113.7")).rejects.toThrow(
      `${SIGN_IN_ERRORS.rateLimited}:12`,
    );
    expect(refusals).toEqual([12_000]);
    clock.advance(12_000);
    expect(await authorize(options, user.email, "the right password", "203.0.113.7")).toMatchObject({
      id: user.id,
    });
  });

  it("does not count right passwords: signing in again and again never waits", async () => {
    const user = await person();
    const options = buildAuthOptions(deps(), { origin: "x" });
    for (let i = 0; i < BURST * 3; i++) {
      expect(await authorize(options, user.email, "the right password", "198.51.100.30")).toMatchObject({
        id: user.id,
      });
    }
  });
});

describe("errors", () => {
  it("never hand an internal message to the browser: NextAuth puts it in the URL", async () => {
    // a database that is not there: Prisma's message names the server and the query
    const unreachable = createDatabaseClient("postgresql://postgres@127.0.0.1:9/absent", {
      maxConnections: 1,
    });
    try {
      const options = buildAuthOptions(deps({ db: unreachable }), { origin: "x" });
      const failure = await authorize(options, "someone@example.com", "a password").catch((e: Error) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe(SIGN_IN_ERRORS.unavailable);
      const signIn = options.callbacks?.signIn;
      const account = { provider: "github", type: "oauth" as const, providerAccountId: "42" };
      await expect(signIn?.({ user: { id: "42", email: "someone@example.com" }, account })).rejects.toThrow(
        new RegExp(`^${SIGN_IN_ERRORS.unavailable}$`),
      );
    } finally {
      await unreachable.$disconnect();
    }
  });
});

describe("the redirect after signing in or out", () => {
  const redirect = (args: { url: string; baseUrl: string }) =>
    buildAuthOptions(deps(), { origin: "x" }).callbacks?.redirect?.(args);
  const baseUrl = "http://localhost:3000";

  it("keeps paths and NextAuth's own URLs of this site", async () => {
    expect(await redirect({ url: "/organizations?tab=keys", baseUrl })).toBe(
      "http://localhost:3000/organizations?tab=keys",
    );
    expect(await redirect({ url: "http://localhost:3000/people", baseUrl })).toBe(
      "http://localhost:3000/people",
    );
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\nevil",
    "https://evil.example/organizations",
    "http://localhost:3000.evil.example/x",
    "http://localhost:3000//evil.example",
    "http://localhost:3000/\tevil",
    "javascript:alert(1)",
  ])("sends %j to the start page", async (url) => {
    expect(await redirect({ url, baseUrl })).toBe("http://localhost:3000/");
  });
});

describe("identity providers", () => {
  it("are offered only when configured", () => {
    expect(buildAuthOptions(deps(), { origin: "x" }).providers.map((p) => p.id)).toEqual(["credentials"]);
    const configured = parseDashboardEnv({
      OIDC_ISSUER: "https://id.example.com",
      OIDC_CLIENT_ID: "id",
      OIDC_CLIENT_SECRET: "secret",
      OIDC_NAME: "Acme SSO",
      GITHUB_CLIENT_ID: "gh",
      GITHUB_CLIENT_SECRET: "gh-secret",
    });
    const providers = buildAuthOptions(deps({ env: configured }), { origin: "x" }).providers;
    expect(providers.map((p) => p.id)).toEqual(["credentials", "oidc", "github"]);
    expect(providers[1]).toMatchObject({
      name: "Acme SSO",
      wellKnown: "https://id.example.com/.well-known/openid-configuration",
      checks: ["pkce", "state"],
    });
  });

  it("sign in only people an admin added, by a verified address", async () => {
    const invited = await person(null);
    const signIn = buildAuthOptions(deps(), { origin: "x" }).callbacks?.signIn;
    const account = { provider: "github", type: "oauth" as const, providerAccountId: "42" };
    expect(await signIn?.({ user: { id: "42", email: invited.email }, account })).toBe(true);
    expect(await signIn?.({ user: { id: "43", email: "stranger@example.com" }, account })).toBe(
      `/login?error=${SIGN_IN_ERRORS.notInvited}`,
    );
    expect(await signIn?.({ user: { id: "44", email: null }, account })).toBe(
      `/login?error=${SIGN_IN_ERRORS.unverifiedEmail}`,
    );
    const token = await buildAuthOptions(deps(), { origin: "192.0.2.9" }).callbacks?.jwt?.({
      token: { sub: "42" },
      user: { id: "42", email: invited.email },
      account,
    });
    // the session carries the person's credential version: the session check compares it
    const identity = await findUserByVerifiedEmail({ db: t.db }, { email: invited.email });
    expect(token).toMatchObject({ sub: invited.id, cv: identity?.credentialVersion });
    expect(identity?.credentialVersion).toMatch(/^[\w-]{16}$/);
  });

  it("never sign into an account whose address its owner did not verify (someone else may have signed up with it)", async () => {
    const squatted = await person(null);
    await t.db.user.update({ where: { id: squatted.id }, data: { emailVerified: null } });
    const options = buildAuthOptions(deps(), { origin: "x" });
    const account = { provider: "oidc", type: "oauth" as const, providerAccountId: "45" };
    expect(await options.callbacks?.signIn?.({ user: { id: "45", email: squatted.email }, account })).toBe(
      `/login?error=${SIGN_IN_ERRORS.unverifiedAccount}`,
    );
    await expect(
      options.callbacks?.jwt?.({ token: { sub: "45" }, user: { id: "45", email: squatted.email }, account }),
    ).rejects.toThrow(SIGN_IN_ERRORS.unverifiedAccount);
  });
});

describe("cookies", () => {
  it("are Secure when the dashboard is served over https", () => {
    expect(buildAuthOptions(deps(), { origin: "x" }).useSecureCookies).toBe(false);
    const https = parseDashboardEnv({ NEXTAUTH_URL: "https://dashboard.example.com" });
    expect(buildAuthOptions(deps({ env: https }), { origin: "x" }).useSecureCookies).toBe(true);
  });
});
