import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createUser } from "../users/create-user.ts";
import { deactivateUser } from "../users/deactivate-user.ts";
import { createOrganization } from "./create-organization.ts";
import { getOrganization } from "./get-organization.ts";
import { getLegalHold, setLegalHold } from "./legal-hold.ts";
import { listOrganizationMembers } from "./list-organization-members.ts";
import { listOrganizations } from "./list-organizations.ts";
import { updateDataProtection } from "./update-data-protection.ts";
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
  it("sets the opt-out, audited with what changed", async () => {
    const org = await createOrganization(deps(), { name: "Careful", tier: "free", actor });
    const updated = await updateOrganizationSettings(deps(), {
      organizationId: org.id,
      dataCollectionOptOut: true,
      actor,
    });
    expect(updated).toMatchObject({ dataCollectionOptOut: true, name: "Careful" });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: org.id, action: "organization.settings.update" },
    });
    expect(audit).toMatchObject({ actorId: "usr_admin", organizationId: org.id });
    expect(audit.metadata).toEqual({
      from: { dataCollectionOptOut: false },
      to: { dataCollectionOptOut: true },
    });

    // saving the same values again changes nothing, so it is not audited
    await updateOrganizationSettings(deps(), { organizationId: org.id, dataCollectionOptOut: true, actor });
    expect(
      await t.db.auditEvent.count({ where: { targetId: org.id, action: "organization.settings.update" } }),
    ).toBe(1);
  });

  it("refuses an empty name, and unknown organizations", async () => {
    const org = await createOrganization(deps(), { name: "Greedy", tier: "free", actor });
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

describe("updateDataProtection", () => {
  it("sets the masked kinds (known, once, in order) and both toggles, audited with what changed", async () => {
    const org = await createOrganization(deps(), { name: "Masked", tier: "free", actor });
    expect(await getOrganization(deps(), { organizationId: org.id })).toMatchObject({
      piiMaskKinds: ["email", "phone", "card", "iban", "ip", "secret"],
      maskPiiUpstream: false,
      responseCacheEnabled: true,
    });
    const updated = await updateDataProtection(deps(), {
      organizationId: org.id,
      piiMaskKinds: ["iban", "email", "iban"],
      maskPiiUpstream: true,
      responseCacheEnabled: false,
      actor,
    });
    expect(updated).toMatchObject({
      piiMaskKinds: ["email", "iban"],
      maskPiiUpstream: true,
      responseCacheEnabled: false,
    });
    // the same kinds again, and the cache left alone: only the upstream toggle is recorded
    await updateDataProtection(deps(), {
      organizationId: org.id,
      piiMaskKinds: ["email", "iban"],
      maskPiiUpstream: false,
      actor,
    });
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: org.id, action: "organization.data_protection.update" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.metadata)).toEqual([
      {
        from: {
          piiMaskKinds: ["email", "phone", "card", "iban", "ip", "secret"],
          maskPiiUpstream: false,
          responseCacheEnabled: true,
        },
        to: { piiMaskKinds: ["email", "iban"], maskPiiUpstream: true, responseCacheEnabled: false },
      },
      { from: { maskPiiUpstream: true }, to: { maskPiiUpstream: false } },
    ]);
    expect(
      (await updateDataProtection(deps(), { organizationId: org.id, piiMaskKinds: [], actor })).piiMaskKinds,
    ).toEqual([]);
  });

  it("refuses unknown kinds of personal data and unknown organizations", async () => {
    const org = await createOrganization(deps(), { name: "Unknown kinds", tier: "free", actor });
    await expect(
      updateDataProtection(deps(), { organizationId: org.id, piiMaskKinds: ["email", "name"], actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "piiMaskKinds" });
    expect((await getOrganization(deps(), { organizationId: org.id })).piiMaskKinds).toHaveLength(6);
    await expect(
      updateDataProtection(deps(), { organizationId: "org_missing", maskPiiUpstream: true, actor }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("setLegalHold", () => {
  const officer: Actor = { type: "USER", id: "usr_officer", origin: "203.0.113.7" };

  it("places a hold with its reason and lifts it, each audited; the state reads both back", async () => {
    const org = await createOrganization(deps(), { name: "Held", tier: "free", actor });
    expect(await getLegalHold(deps(), { organizationId: org.id })).toEqual({
      isOnHold: false,
      since: null,
      reason: null,
      placedBy: null,
    });
    const held = await setLegalHold(deps(), {
      organizationId: org.id,
      legalHold: true,
      reason: "  Matter 2026-114, litigation hold  ",
      actor: officer,
    });
    expect(held.legalHold).toBe(true);
    expect(await getLegalHold(deps(), { organizationId: org.id })).toEqual({
      isOnHold: true,
      since: clock.now(),
      reason: "Matter 2026-114, litigation hold",
      placedBy: "usr_officer",
    });

    expect(
      (await setLegalHold(deps(), { organizationId: org.id, legalHold: false, actor: officer })).legalHold,
    ).toBe(false);
    expect((await getLegalHold(deps(), { organizationId: org.id })).isOnHold).toBe(false);
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: org.id, action: { startsWith: "organization.legal_hold" } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.actorId, a.metadata])).toEqual([
      [
        "organization.legal_hold.place",
        "usr_officer",
        { from: { legalHold: false }, to: { legalHold: true }, reason: "Matter 2026-114, litigation hold" },
      ],
      [
        "organization.legal_hold.lift",
        "usr_officer",
        { from: { legalHold: true }, to: { legalHold: false } },
      ],
    ]);
  });

  it("keeps personal data out of the append-only audit trail", async () => {
    const org = await createOrganization(deps(), { name: "Held privately", tier: "free", actor });
    await setLegalHold(deps(), {
      organizationId: org.id,
      legalHold: true,
      reason: "Request of counsel jane.doe@law.example, +44 20 7946 0958",
      actor: officer,
    });
    const { reason } = await getLegalHold(deps(), { organizationId: org.id });
    expect(reason).toBe("Request of counsel [EMAIL], [PHONE]");
  });

  it("needs a reason of at most 500 characters to place a hold, and refuses a hold twice", async () => {
    const org = await createOrganization(deps(), { name: "Held twice", tier: "free", actor });
    for (const reason of [undefined, "   ", "x".repeat(501)]) {
      await expect(
        setLegalHold(deps(), { organizationId: org.id, legalHold: true, reason, actor: officer }),
      ).rejects.toMatchObject({ code: "invalid", param: "reason" });
    }
    await expect(
      setLegalHold(deps(), { organizationId: org.id, legalHold: false, actor: officer }),
    ).rejects.toMatchObject({ code: "conflict" });
    await setLegalHold(deps(), { organizationId: org.id, legalHold: true, reason: "Case 7", actor: officer });
    await expect(
      setLegalHold(deps(), { organizationId: org.id, legalHold: true, reason: "Case 8", actor: officer }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect((await getLegalHold(deps(), { organizationId: org.id })).reason).toBe("Case 7");
    await expect(
      setLegalHold(deps(), {
        organizationId: "org_missing",
        legalHold: true,
        reason: "Case 9",
        actor: officer,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("reports a hold set outside the platform without a start or reason", async () => {
    const org = await createOrganization(deps(), { name: "Held by SQL", tier: "free", actor });
    await t.db.organization.update({ where: { id: org.id }, data: { legalHold: true } });
    expect(await getLegalHold(deps(), { organizationId: org.id })).toEqual({
      isOnHold: true,
      since: null,
      reason: null,
      placedBy: null,
    });
  });
});
