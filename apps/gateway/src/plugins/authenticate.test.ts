import { cliActor, revokeApiKey, revokeOAuthClient } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  jsonOf,
  requestAccessToken,
  startTestGateway,
} from "../testing/start-test-gateway.ts";

/** The shared authentication suite: every route that is not public, every way to fail. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock, cacheTtlMs: 1 });
});
afterAll(() => gateway.close());

function protectedRoutes() {
  return gateway.app.routeScopes.filter((route) => route.scope !== "public");
}

function call(route: { method: string; url: string }, authorization?: string) {
  const url = `${gateway.url}${route.url.replace(":model", "deepseek-chst-1.0")}`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const body = route.method === "POST" ? JSON.stringify({}) : undefined;
  return fetch(url, { method: route.method, headers, body });
}

async function expect401(response: Response, code: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  const body = await jsonOf(response);
  expect(body.error).toMatchObject({ type: "invalid_request_error", code });
}

interface Credential {
  bearer: string;
  revoke(): Promise<unknown>;
}

/** Both kinds of bearer credential; every test below runs with each. */
const CREDENTIALS: Record<
  string,
  (options: { scopes?: string[]; expiresInMs?: number }) => Promise<Credential>
> = {
  "API key": async (options) => {
    const { key, secret } = await createOrgWithKey(t.db, { ...options, clock });
    return {
      bearer: secret,
      revoke: () => revokeApiKey({ db: t.db, clock }, { apiKeyId: key.id, actor: cliActor("test") }),
    };
  },
  "OAuth access token": async (options) => {
    const { client, secret } = await createOrgWithOAuthClient(t.db, { ...options, clock });
    return {
      bearer: await requestAccessToken(gateway.url, { clientId: client.id, secret }),
      revoke: () => revokeOAuthClient({ db: t.db, clock }, { clientId: client.id, actor: cliActor("test") }),
    };
  },
};

describe("authentication on every protected route", () => {
  it("covers the routes this release has", () => {
    expect(protectedRoutes().map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(["GET /v1/models", "GET /v1/models/:model", "POST /v1/chat/completions"]),
    );
  });

  it("refuses a missing key", async () => {
    for (const route of protectedRoutes()) await expect401(await call(route), "missing_api_key");
  });

  it("refuses malformed and unknown keys and tokens, showing at most a masked key", async () => {
    const unknown = `sk-${"A".repeat(48)}`;
    const notAToken = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.${"A".repeat(86)}`;
    for (const route of protectedRoutes()) {
      await expect401(await call(route, "Basic abc"), "missing_api_key");
      await expect401(await call(route, "Bearer not-a-key"), "invalid_api_key");
      await expect401(await call(route, `Bearer ${notAToken}`), "invalid_api_key");
      const response = await call(route, `Bearer ${unknown}`);
      const text = await response.clone().text();
      expect(text).not.toContain(unknown);
      expect(text).toContain("sk-AAA***AAAA");
      await expect401(response, "invalid_api_key");
    }
  });

  describe.each(Object.keys(CREDENTIALS))("with an %s", (kind) => {
    const credential = CREDENTIALS[kind] as (typeof CREDENTIALS)[string];

    it("accepts it on every route whose scope it has", async () => {
      const { bearer } = await credential({ scopes: ["models:read", "chat", "files"] });
      for (const route of protectedRoutes()) {
        const response = await call(route, `Bearer ${bearer}`);
        if (["models:read", "chat", "files"].includes(route.scope)) {
          expect([401, 403], `${route.method} ${route.url}`).not.toContain(response.status);
        } else {
          expect(response.status, `${route.method} ${route.url}`).toBe(403);
        }
      }
    });

    it("refuses it once revoked", async () => {
      const { bearer, revoke } = await credential({});
      await revoke();
      for (const route of protectedRoutes())
        await expect401(await call(route, `Bearer ${bearer}`), "invalid_api_key");
    });

    it("refuses it once expired", async () => {
      const { bearer } = await credential({ expiresInMs: 60_000 });
      const route = { method: "GET", url: "/v1/models" };
      expect((await call(route, `Bearer ${bearer}`)).status).toBe(200);
      clock.advance(61_000);
      await expect401(await call(route, `Bearer ${bearer}`), "invalid_api_key");
    });

    it("refuses it without the route's scope with 403 insufficient_scope", async () => {
      for (const route of protectedRoutes()) {
        const others = ["models:read", "chat", "files"].filter((scope) => scope !== route.scope);
        const { bearer } = await credential({ scopes: others });
        const response = await call(route, `Bearer ${bearer}`);
        expect(response.status, `${route.method} ${route.url}`).toBe(403);
        expect((await jsonOf(response)).error).toMatchObject({ code: "insufficient_scope" });
      }
    });

    it("never writes it into the log", async () => {
      const { bearer } = await credential({});
      await call({ method: "GET", url: "/v1/models" }, `Bearer ${bearer}`);
      await call({ method: "GET", url: "/v1/models" }, `Bearer ${bearer.slice(0, -1)}x`);
      const log = gateway.logLines.join("");
      expect(log).toContain('"route":"/v1/models"');
      expect(log).not.toContain(bearer.slice(3, 20));
      expect(log).not.toContain(bearer.slice(-20));
    });
  });
});
