import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { appRouter } from "./app-router.ts";
import type { SessionUser } from "./context.ts";
import { createDashboardWorld, type DashboardWorld, TEST_PEPPER } from "./testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

/** One call through the HTTP handler the dashboard mounts, as the browser makes it. */
async function post(user: SessionUser | null, path: string, input: unknown) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://dashboard.test/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    }),
    router: appRouter,
    createContext: () => ({
      db: t.db,
      clock: { now: () => new Date() },
      pepper: TEST_PEPPER,
      revocations: null,
      user,
      origin: "192.0.2.1",
    }),
  });
  const body = (await response.json()) as {
    error: { json: { message: string; data: Record<string, unknown> } };
  };
  return { status: response.status, body };
}

describe("errors over HTTP", () => {
  it("name the fields that failed the schema", async () => {
    const { status, body } = await post(w.people.ADMIN, "organizations.create", { name: "", tier: "free" });
    expect(status).toBe(400);
    expect(body.error.json.message).toBe("Some fields are not valid.");
    expect(body.error.json.data.fieldErrors).toEqual({ name: ["Enter a name."] });
  });

  it("carry the parameter a domain error names", async () => {
    const { status, body } = await post(w.people.ADMIN, "organizations.create", { name: "X", tier: "gold" });
    expect(status).toBe(400);
    expect(body.error.json.data).toMatchObject({ code: "BAD_REQUEST", param: "tier" });
    expect(body.error.json.message).toContain("unknown tier");
  });

  it("never echo internal messages or stacks", async () => {
    const broken = {
      ...t.db,
      organization: { findMany: () => Promise.reject(new Error("secret SQL detail")) },
    };
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://dashboard.test/api/trpc/organizations.list?input=%7B%22json%22%3A%7B%7D%7D"),
      router: appRouter,
      onError: () => {},
      createContext: () => ({
        db: broken as never,
        clock: { now: () => new Date() },
        pepper: TEST_PEPPER,
        revocations: null,
        user: w.people.ADMIN,
        origin: "192.0.2.1",
      }),
    });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain("secret SQL detail");
    expect(text).not.toContain("stack");
  });

  it("answer 401 and 403 for the signed-out and the wrong role", async () => {
    const input = { userId: w.people.COMPLIANCE.id };
    expect((await post(null, "users.deactivate", input)).status).toBe(401);
    expect((await post(w.people.DEVELOPER, "users.deactivate", input)).status).toBe(403);
  });
});
