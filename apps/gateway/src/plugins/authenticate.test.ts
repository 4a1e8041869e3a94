import { cliActor, revokeApiKey } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

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

describe("authentication on every protected route", () => {
  it("covers the routes this release has", () => {
    expect(protectedRoutes().map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(["GET /v1/models", "GET /v1/models/:model", "POST /v1/chat/completions"]),
    );
  });

  it("refuses a missing key", async () => {
    for (const route of protectedRoutes()) await expect401(await call(route), "missing_api_key");
  });

  it("refuses malformed and unknown keys, showing at most a masked key", async () => {
    const unknown = `sk-${"A".repeat(48)}`;
    for (const route of protectedRoutes()) {
      await expect401(await call(route, "Basic abc"), "missing_api_key");
      await expect401(await call(route, "Bearer not-a-key"), "invalid_api_key");
      const response = await call(route, `Bearer ${unknown}`);
      const text = await response.clone().text();
      expect(text).not.toContain(unknown);
      expect(text).toContain("sk-AAA***AAAA");
      await expect401(response, "invalid_api_key");
    }
  });

  it("refuses a revoked key", async () => {
    const { key, secret } = await createOrgWithKey(t.db);
    await revokeApiKey({ db: t.db, clock }, { apiKeyId: key.id, actor: cliActor("test") });
    for (const route of protectedRoutes())
      await expect401(await call(route, `Bearer ${secret}`), "invalid_api_key");
  });

  it("refuses an expired key", async () => {
    const { secret } = await createOrgWithKey(t.db, { expiresInMs: 60_000, clock });
    const route = { method: "GET", url: "/v1/models" };
    expect((await call(route, `Bearer ${secret}`)).status).toBe(200);
    clock.advance(61_000);
    await expect401(await call(route, `Bearer ${secret}`), "invalid_api_key");
  });

  it("refuses a key without the route's scope with 403 insufficient_scope", async () => {
    for (const route of protectedRoutes()) {
      const others = ["models:read", "chat", "files"].filter((scope) => scope !== route.scope);
      const { secret } = await createOrgWithKey(t.db, { scopes: others });
      const response = await call(route, `Bearer ${secret}`);
      expect(response.status).toBe(403);
      expect((await jsonOf(response)).error).toMatchObject({ code: "insufficient_scope" });
    }
  });

  it("never writes a key into the log", async () => {
    const { secret } = await createOrgWithKey(t.db);
    await call({ method: "GET", url: "/v1/models" }, `Bearer ${secret}`);
    await call({ method: "GET", url: "/v1/models" }, `Bearer ${secret.slice(0, -1)}x`);
    const log = gateway.logLines.join("");
    expect(log).toContain('"route":"/v1/models"');
    expect(log).not.toContain(secret.slice(3, 20));
  });
});
