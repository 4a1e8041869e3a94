import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "./create-organization.ts";
import { listOrganizations } from "./list-organizations.ts";
import { setOrganizationTier } from "./set-organization-tier.ts";

let t: TestDatabase;
const clock = fakeClock();
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("organizations", () => {
  it("are created on a tier with an audit record", async () => {
    const org = await createOrganization(
      { db: t.db, clock },
      { name: "  Wayne Enterprises ", tier: "pro", actor },
    );
    expect(org).toMatchObject({ name: "Wayne Enterprises", tier: "pro", dataCollectionOptOut: false });
    expect(org.id).toMatch(/^org_[0-9A-Za-z]{24}$/);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: org.id } });
    expect(audit).toMatchObject({ action: "organization.create", actorType: "SYSTEM", origin: "cli" });
  });

  it("refuse empty names and unknown tiers", async () => {
    await expect(
      createOrganization({ db: t.db, clock }, { name: " ", tier: "pro", actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "name",
    });
    await expect(
      createOrganization({ db: t.db, clock }, { name: "X", tier: "gold", actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "tier",
    });
  });

  it("change tier, with the change audited", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Stark", tier: "free", actor });
    const moved = await setOrganizationTier(
      { db: t.db, clock },
      { organizationId: org.id, tier: "pro", actor },
    );
    expect(moved.tier).toBe("pro");
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: org.id, action: "organization.tier.set" },
    });
    expect(audit.metadata).toEqual({ from: "free", to: "pro" });
    await expect(
      setOrganizationTier({ db: t.db, clock }, { organizationId: "org_nope", tier: "pro", actor }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("list by search, in stable pages", async () => {
    for (const name of ["Paged A", "Paged B", "Paged C"]) {
      await createOrganization({ db: t.db, clock }, { name, tier: "free", actor });
    }
    const firstPage = await listOrganizations({ db: t.db }, { search: "paged", limit: 2 });
    expect(firstPage).toHaveLength(2);
    const secondPage = await listOrganizations(
      { db: t.db },
      { search: "PAGED", limit: 2, after: firstPage[1]?.id },
    );
    expect(secondPage).toHaveLength(1);
    expect(new Set([...firstPage, ...secondPage].map((o) => o.name))).toEqual(
      new Set(["Paged A", "Paged B", "Paged C"]),
    );
  });

  it("list by name either way, or newest or oldest first, in pages that keep that order", async () => {
    // added in this order, a minute apart; two share a name (the id breaks the tie)
    const added: string[] = [];
    for (const name of ["Sorted b", "Sorted d", "Sorted a", "Sorted c", "Sorted a"]) {
      clock.advance(60_000);
      added.push((await createOrganization({ db: t.db, clock }, { name, tier: "free", actor })).id);
    }
    const all = async (sort: "name_asc" | "name_desc" | "newest" | "oldest") => {
      const seen: { id: string; name: string }[] = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await listOrganizations({ db: t.db }, { search: "sorted", sort, limit: 2, after });
        seen.push(...rows);
        if (rows.length < 2) break;
        after = rows.at(-1)?.id;
      }
      return seen;
    };
    const byName = await all("name_asc");
    expect(byName.map((o) => o.name)).toEqual(["Sorted a", "Sorted a", "Sorted b", "Sorted c", "Sorted d"]);
    expect(new Set(byName.map((o) => o.id)).size).toBe(5);
    expect((await all("name_desc")).map((o) => o.id)).toEqual(byName.map((o) => o.id).reverse());
    expect((await all("newest")).map((o) => o.id)).toEqual([...added].reverse());
    expect((await all("oldest")).map((o) => o.id)).toEqual(added);
    // name A–Z is the default
    expect((await listOrganizations({ db: t.db }, { search: "sorted" })).map((o) => o.id)).toEqual(
      byName.map((o) => o.id),
    );
  });
});
