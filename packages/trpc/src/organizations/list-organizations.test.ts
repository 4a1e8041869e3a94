import { cliActor, createOrganization } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("organizations.list", () => {
  it("sorts on the server, by name either way or by when they were added, and pages in that order", async () => {
    const names = ["Ordered Kilo", "Ordered Alpha", "Ordered Mike"];
    // a second apart, so that "newest" has one answer
    for (const [index, name] of names.entries()) {
      const clock = { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, index)) };
      await createOrganization({ db: t.db, clock }, { name, tier: "free", actor: cliActor() });
    }
    const admin = w.as("ADMIN");
    const first = await admin.organizations.list({ search: "ordered", limit: 2 });
    expect(first.items.map((o) => o.name)).toEqual(["Ordered Alpha", "Ordered Kilo"]);
    const second = await admin.organizations.list({
      search: "ordered",
      limit: 2,
      after: first.nextCursor ?? "",
    });
    expect(second).toMatchObject({ items: [{ name: "Ordered Mike" }], nextCursor: null });
    const descending = await admin.organizations.list({ search: "ordered", sort: "name_desc" });
    expect(descending.items.map((o) => o.name)).toEqual(["Ordered Mike", "Ordered Kilo", "Ordered Alpha"]);
    const newest = await admin.organizations.list({ search: "ordered", sort: "newest" });
    expect(newest.items.map((o) => o.name)).toEqual(["Ordered Mike", "Ordered Alpha", "Ordered Kilo"]);
    await expect(admin.organizations.list({ sort: "by_secret_column" as "newest" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("still shows a developer their own organization only, whatever the order", async () => {
    const own = await w.as("DEVELOPER").organizations.list({ sort: "newest" });
    expect(own.items.map((o) => o.id)).toEqual([w.ownOrg]);
  });
});
