import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import type { SessionUser } from "../context.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

const emailOf = async (user: SessionUser) =>
  (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).email;
const openRequestsOf = (subjectId: string) =>
  t.db.deletionRequest.findMany({ where: { subjectId, status: "PENDING" } });

describe("account.requestErasure", () => {
  it("opens the erasure of a viewer's account, due in 72 hours, and nothing of the organization others stay in", async () => {
    const email = await emailOf(w.people.VIEWER);
    const before = Date.now();
    const result = await w.as("VIEWER").account.requestErasure({ confirmEmail: email.toUpperCase() });
    expect(result.organizationIds).toEqual([]);
    expect(result.dueAt.getTime()).toBeGreaterThanOrEqual(before + 72 * 3_600_000);
    const [request] = await openRequestsOf(w.people.VIEWER.id);
    expect(request).toMatchObject({ subjectType: "ACCOUNT", requestedBy: `user:${w.people.VIEWER.id}` });
    expect(await openRequestsOf(w.ownOrg)).toEqual([]);
    const audit = await t.db.auditEvent.findFirst({
      where: { action: "deletion_request.create", targetId: request?.id },
    });
    expect(audit).toMatchObject({ actorType: "USER", actorId: w.people.VIEWER.id, origin: "192.0.2.10" });
  });

  it("refuses the last owner of an organization that has other members, with what to do", async () => {
    const email = await emailOf(w.people.OWNER);
    const error = await w
      .as("OWNER")
      .account.requestErasure({ confirmEmail: email })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "CONFLICT" });
    expect(error.message).toMatch(/last owner .* Hand ownership over/);
    expect(await openRequestsOf(w.people.OWNER.id)).toEqual([]);
  });

  it("needs the caller's own address, and bounds it", async () => {
    const dev = w.as("DEVELOPER");
    const other = await emailOf(w.people.OWNER);
    await expect(dev.account.requestErasure({ confirmEmail: other })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { param: "confirmEmail" },
    });
    await expect(
      dev.account.requestErasure({ confirmEmail: `${"a".repeat(300)}@x.io` }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await openRequestsOf(w.people.DEVELOPER.id)).toEqual([]);
  });

  it("lets a person of no organization go too", async () => {
    const email = await emailOf(w.nobody);
    const result = await w.caller(w.nobody).account.requestErasure({ confirmEmail: email });
    expect(result.organizationIds).toEqual([]);
    expect(await openRequestsOf(w.nobody.id)).toHaveLength(1);
  });

  it("is refused to admins and compliance officers, and to callers not signed in", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const email = await emailOf(w.people[role]);
      await expect(w.as(role).account.requestErasure({ confirmEmail: email })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await openRequestsOf(w.people[role].id)).toEqual([]);
    }
    await expect(w.caller(null).account.requestErasure({ confirmEmail: "a@b.c" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
