import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createUser } from "../users/create-user.ts";
import { deactivateUser } from "../users/deactivate-user.ts";
import { createOrganization } from "./create-organization.ts";
import { getOrganization } from "./get-organization.ts";
import { listOrganizationMembers } from "./list-organization-members.ts";
import { listOrganizations } from "./list-organizations.ts";
import { updateOrganizationSettings } from "./update-organization-settings.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock });
const actor: Actor = { type: "USER", id: "usr_admin", origin: "203.0.113.9" };

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("getOrganization", () => {
  it("returns settings, the tier's limits and the effective retention", async () => {
    const org = await createOrganization(deps(), { name: "Details", tier: "free", actor });
    const details = await getOrganization(deps(), { organizationId: org.id });
    expect(details).toMatchObject({
      id: org.id,
      name: "Details",
      tier: { slug: "free", requestsPerMinute: 5 },
      dataCollectionOptOut: false,
      chatLogRetentionDays: null,
      effectiveChatLogRetentionDays: 30,
      effectiveFileRetentionDays: 7,
      memberCount: 0,
    });
  });

  it("reports another organization as not found to a developer's scope", async () => {
    const mine = await createOrganization(deps(), { name: "Mine", tier: "free", actor });
    const theirs = await createOrganization(deps(), { name: "Theirs", tier: "free", actor });
    expect((await getOrganization(deps(), { organizationId: mine.id, visibleTo: mine.id })).id).toBe(mine.id);
    await expect(
      getOrganization(deps(), { organizationId: theirs.id, visibleTo: mine.id }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(getOrganization(deps(), { organizationId: "org_missing" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("updateOrganizationSettings", () => {
  it("sets the opt-out and shorter retention, audited with what changed", async () => {
    const org = await createOrganization(deps(), { name: "Careful", tier: "free", actor });
    const updated = await updateOrganizationSettings(deps(), {
      organizationId: org.id,
      dataCollectionOptOut: true,
      chatLogRetentionDays: 10,
      fileRetentionDays: null,
      actor,
    });
    expect(updated).toMatchObject({
      dataCollectionOptOut: true,
      chatLogRetentionDays: 10,
      effectiveChatLogRetentionDays: 10,
      fileRetentionDays: null,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: org.id, action: "organization.settings.update" },
    });
    expect(audit).toMatchObject({ actorId: "usr_admin", organizationId: org.id });
    expect(audit.metadata).toEqual({
      from: { dataCollectionOptOut: false, chatLogRetentionDays: null },
      to: { dataCollectionOptOut: true, chatLogRetentionDays: 10 },
    });
  });

  it("refuses retention longer than the tier's, and unknown organizations", async () => {
    const org = await createOrganization(deps(), { name: "Greedy", tier: "free", actor });
    await expect(
      updateOrganizationSettings(deps(), { organizationId: org.id, chatLogRetentionDays: 31, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "chatLogRetentionDays" });
    await expect(
      updateOrganizationSettings(deps(), { organizationId: org.id, fileRetentionDays: 0, actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "fileRetentionDays" });
    await expect(
      updateOrganizationSettings(deps(), { organizationId: org.id, name: "  ", actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "name" });
    await expect(
      updateOrganizationSettings(deps(), {
        organizationId: "org_missing",
        dataCollectionOptOut: true,
        actor,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("listOrganizationMembers", () => {
  it("lists the organization's developers, active first, within the caller's scope", async () => {
    const org = await createOrganization(deps(), { name: "Team", tier: "free", actor });
    const other = await createOrganization(deps(), { name: "Elsewhere", tier: "free", actor });
    const add = (email: string, organizationId: string) =>
      createUser(deps(), { email, role: "DEVELOPER", organizationId, actor });
    const zed = await add("zed@team.example", org.id);
    await add("amy@team.example", org.id);
    await add("bob@elsewhere.example", other.id);
    await deactivateUser(deps(), { userId: zed.id, actor });
    await createUser(deps(), {
      email: "aaron@team.example",
      role: "DEVELOPER",
      organizationId: org.id,
      actor,
    });

    const members = await listOrganizationMembers(deps(), { organizationId: org.id });
    expect(members.map((m) => [m.email, m.isActive])).toEqual([
      ["aaron@team.example", true],
      ["amy@team.example", true],
      ["zed@team.example", false],
    ]);
    expect((await getOrganization(deps(), { organizationId: org.id })).memberCount).toBe(3);
    await expect(
      listOrganizationMembers(deps(), { organizationId: other.id, visibleTo: org.id }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("listOrganizations search", () => {
  it("finds an organization by its exact id as well as by name", async () => {
    const org = await createOrganization(deps(), { name: "Findable", tier: "free", actor });
    expect((await listOrganizations(deps(), { search: org.id })).map((o) => o.id)).toEqual([org.id]);
  });
});
