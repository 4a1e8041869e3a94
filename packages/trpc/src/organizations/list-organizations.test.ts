import { cliActor, createOrganization, systemClock } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { appRouter } from "../app-router.ts";
import type { SessionUser } from "../context.ts";

let t: TestDatabase;
let ownOrg: string;
let otherOrg: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const deps = { db: t.db, clock: systemClock };
  ownOrg = (await createOrganization(deps, { name: "Own", tier: "free", actor: cliActor() })).id;
  otherOrg = (await createOrganization(deps, { name: "Other", tier: "pro", actor: cliActor() })).id;
});

const caller = (user: SessionUser | null) =>
  appRouter.createCaller({ db: t.db, clock: systemClock, user, origin: "127.0.0.1" });

describe("organizations.list", () => {
  it("shows admins and compliance officers every organization", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const orgs = await caller({ id: "usr_a", role, organizationId: null }).organizations.list({});
      expect(orgs.map((o) => o.id).sort()).toEqual([ownOrg, otherOrg].sort());
    }
  });

  it("shows a developer only their own organization, even when searching for another", async () => {
    const dev = caller({ id: "usr_d", role: "DEVELOPER", organizationId: ownOrg });
    expect((await dev.organizations.list({})).map((o) => o.id)).toEqual([ownOrg]);
    expect(await dev.organizations.list({ search: "Other" })).toEqual([]);
    const orphan = caller({ id: "usr_o", role: "DEVELOPER", organizationId: null });
    expect(await orphan.organizations.list({})).toEqual([]);
  });

  it("refuses callers who are not signed in, and bad input", async () => {
    await expect(caller(null).organizations.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const admin = caller({ id: "usr_a", role: "ADMIN", organizationId: null });
    await expect(admin.organizations.list({ limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("declares its roles in the procedure's metadata", () => {
    expect(appRouter._def.record.organizations.list._def.meta).toEqual({
      roles: ["ADMIN", "COMPLIANCE", "DEVELOPER"],
    });
  });
});
