import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createApiKey, revokeApiKey, searchApiKeys } from "./api-keys.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock, pepper: "search-pepper-0123456789abcdef0123" });
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("searchApiKeys", () => {
  it("filters by organization and by active, expired and revoked state, newest first", async () => {
    const org = await createOrganization(deps(), { name: "Keys", tier: "free", actor });
    const other = await createOrganization(deps(), { name: "Elsewhere", tier: "free", actor });
    const make = async (name: string, expiresInMs?: number, organizationId = org.id) => {
      clock.advance(1_000);
      return (await createApiKey(deps(), { organizationId, name, expiresInMs, actor })).key;
    };
    const revoked = await make("revoked");
    const expiring = await make("expiring", 60_000);
    const active = await make("active");
    await make("other org", undefined, other.id);
    await revokeApiKey(deps(), { apiKeyId: revoked.id, actor });
    clock.advance(120_000);

    const names = async (state?: "active" | "expired" | "revoked") =>
      (await searchApiKeys(deps(), { organizationId: org.id, state })).items.map((k) => k.name);
    expect(await names()).toEqual(["active", "expiring", "revoked"]);
    expect(await names("active")).toEqual(["active"]);
    expect(await names("expired")).toEqual(["expiring"]);
    expect(await names("revoked")).toEqual(["revoked"]);
    const page = await searchApiKeys(deps(), { organizationId: org.id, limit: 1 });
    expect(page.items[0]).toMatchObject({ id: active.id, organizationName: "Keys", state: "active" });
    expect(page.nextCursor).toBe(active.id);
    const rest = await searchApiKeys(deps(), { organizationId: org.id, after: page.nextCursor ?? "" });
    expect(rest.items.map((k) => k.id)).toEqual([expiring.id, revoked.id]);
    expect(rest.nextCursor).toBeNull();
    const everywhere = await searchApiKeys(deps(), { limit: 100 });
    expect(new Set(everywhere.items.map((k) => k.organizationName))).toEqual(new Set(["Keys", "Elsewhere"]));
    expect(JSON.stringify(everywhere)).not.toMatch(/"hash"/);
  });
});
