import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createOAuthClient, revokeOAuthClient, searchOAuthClients } from "./oauth-clients.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock, pepper: "search-pepper-0123456789abcdef0123" });
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("searchOAuthClients", () => {
  it("filters by organization and state, newest first, in pages", async () => {
    const org = await createOrganization(deps(), { name: "Clients", tier: "free", actor });
    const other = await createOrganization(deps(), { name: "Elsewhere", tier: "free", actor });
    const make = async (name: string, expiresInMs?: number, organizationId = org.id) => {
      clock.advance(1_000);
      return (await createOAuthClient(deps(), { organizationId, name, expiresInMs, actor })).client;
    };
    const revoked = await make("revoked");
    await make("expiring", 60_000);
    const active = await make("active");
    await make("other org", undefined, other.id);
    await revokeOAuthClient(deps(), { clientId: revoked.id, actor });
    clock.advance(120_000);

    const names = async (state?: "active" | "expired" | "revoked") =>
      (await searchOAuthClients(deps(), { organizationId: org.id, state })).items.map((c) => c.name);
    expect(await names()).toEqual(["active", "expiring", "revoked"]);
    expect(await names("active")).toEqual(["active"]);
    expect(await names("expired")).toEqual(["expiring"]);
    expect(await names("revoked")).toEqual(["revoked"]);
    const page = await searchOAuthClients(deps(), { organizationId: org.id, limit: 2 });
    expect(page.items[0]).toMatchObject({ id: active.id, organizationName: "Clients" });
    expect(page.nextCursor).toBe(page.items[1]?.id);
    expect((await searchOAuthClients(deps(), { limit: 100 })).items).toHaveLength(4);
  });
});
