import { authenticateWithPassword } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("users (People)", () => {
  it("an admin adds a developer with a password, who can then sign in", async () => {
    const admin = w.as("ADMIN");
    const created = await admin.users.create({
      email: "new.dev@example.com",
      name: "New Dev",
      role: "DEVELOPER",
      organizationId: w.ownOrg,
      password: "a fine password 42",
    });
    expect(created).toMatchObject({ role: "DEVELOPER", organizationId: w.ownOrg, hasPassword: true });
    expect(
      (await authenticateWithPassword(t, { email: "new.dev@example.com", password: "a fine password 42" }))
        .outcome,
    ).toBe("signed_in");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: created.id } });
    expect(audit).toMatchObject({ action: "user.create", actorId: w.people.ADMIN.id });
  });

  it("invites a person without a password, and validates with the shared schema", async () => {
    const admin = w.as("ADMIN");
    const invited = await admin.users.create({ email: "sso@example.com", role: "COMPLIANCE", password: "" });
    expect(invited.hasPassword).toBe(false);
    const error = await admin.users.create({ email: "dev@example.com", role: "DEVELOPER" }).catch((e) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(error.cause?.issues)).toContain("organizationId");
    await expect(admin.users.create({ email: "sso@example.com", role: "ADMIN" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("changes roles, deactivates and reactivates; lists with filters", async () => {
    const admin = w.as("ADMIN");
    const person = await admin.users.create({
      email: "mover@example.com",
      role: "DEVELOPER",
      organizationId: w.ownOrg,
    });
    expect(
      (await admin.users.setRole({ userId: person.id, role: "DEVELOPER", organizationId: w.otherOrg }))
        .organizationId,
    ).toBe(w.otherOrg);
    expect((await admin.users.deactivate({ userId: person.id })).isActive).toBe(false);
    expect((await admin.users.list({ search: "mover" })).items).toEqual([]);
    expect((await admin.users.list({ search: "mover", status: "all" })).items).toHaveLength(1);
    expect((await admin.users.reactivate({ userId: person.id })).isActive).toBe(true);
    const developers = await admin.users.list({ role: "DEVELOPER", organizationId: w.otherOrg });
    expect(developers.items.map((u) => u.email)).toEqual(["mover@example.com"]);
    await expect(admin.users.deactivate({ userId: w.people.ADMIN.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("are managed by admins only", async () => {
    for (const role of ["COMPLIANCE", "DEVELOPER"] as const) {
      await expect(w.as(role).users.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        w.as(role).users.setRole({ userId: w.people.DEVELOPER.id, role: "ADMIN" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: w.people.DEVELOPER.id } })).role).toBe(
      "DEVELOPER",
    );
  });
});
