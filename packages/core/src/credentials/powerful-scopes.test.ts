import { DEFAULT_API_KEY_SCOPES, ORDINARY_SCOPES, POWERFUL_SCOPES } from "@dsc/vocabulary";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createApiKey, revokeApiKey } from "./api-keys.ts";
import { listPowerfulCredentials } from "./list-powerful-credentials.ts";
import { createOAuthClient } from "./oauth-clients.ts";

let t: TestDatabase;
const clock = fakeClock();
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock, pepper: "powerful-scopes-pepper-0123456789" });

beforeAll(async () => {
  t = await createTestDatabase();
});

const newOrg = (name: string) => createOrganization(deps(), { name, tier: "free", actor });

describe("powerful scopes", () => {
  it("are never a default nor among the ordinary scopes", () => {
    for (const scope of POWERFUL_SCOPES) {
      expect(DEFAULT_API_KEY_SCOPES).not.toContain(scope);
      expect(ORDINARY_SCOPES).not.toContain(scope);
    }
  });

  it("are refused without an explicit acknowledgement, naming the scope, and nothing is written", async () => {
    const org = await newOrg("Unconfirmed");
    for (const [create, scopes] of [
      [createApiKey, ["chat", "users:delete"]],
      [createOAuthClient, ["users:export"]],
      [createApiKey, ["users:delete", "users:export"]],
    ] as const) {
      for (const allowPowerfulScopes of [undefined, false]) {
        const refused = create(deps(), { organizationId: org.id, scopes, allowPowerfulScopes, actor });
        await expect(refused).rejects.toMatchObject({ code: "invalid", param: "scopes" });
        for (const scope of scopes.filter((s) => s.startsWith("users:"))) {
          await expect(
            create(deps(), { organizationId: org.id, scopes, allowPowerfulScopes, actor }),
          ).rejects.toThrow(scope);
        }
      }
    }
    expect(await t.db.apiKey.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await t.db.oAuthClient.count({ where: { organizationId: org.id } })).toBe(0);
    expect(
      await t.db.auditEvent.count({
        where: { organizationId: org.id, action: { in: ["api_key.create", "oauth_client.create"] } },
      }),
    ).toBe(0);
  });

  it("are granted with the acknowledgement, audited by name, and listed for the organization", async () => {
    const org = await newOrg("Confirmed");
    const other = await newOrg("Elsewhere");
    const { key } = await createApiKey(deps(), {
      organizationId: org.id,
      name: "eraser",
      scopes: ["chat", "users:delete"],
      allowPowerfulScopes: true,
      actor,
    });
    expect(key.scopes).toEqual(["chat", "users:delete"]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: key.id } });
    expect(audit).toMatchObject({ action: "api_key.create", organizationId: org.id });
    expect(audit.metadata).toMatchObject({
      scopes: ["chat", "users:delete"],
      powerfulScopes: ["users:delete"],
    });

    clock.advance(1_000);
    const { client } = await createOAuthClient(deps(), {
      organizationId: org.id,
      name: "exporter",
      scopes: ["users:export", "users:delete"],
      allowPowerfulScopes: true,
      actor,
    });
    const clientAudit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: client.id } });
    expect(clientAudit.metadata).toMatchObject({ powerfulScopes: ["users:export", "users:delete"] });

    // an ordinary key is audited with no powerful scopes, and is not listed
    const { key: ordinary } = await createApiKey(deps(), { organizationId: org.id, actor });
    const ordinaryAudit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: ordinary.id } });
    expect(ordinaryAudit.metadata).toMatchObject({ powerfulScopes: [] });
    // a revoked powerful key can erase nothing any more, and another organization's is not this one's
    clock.advance(1_000);
    const { key: revoked } = await createApiKey(deps(), {
      organizationId: org.id,
      scopes: ["users:export"],
      allowPowerfulScopes: true,
      actor,
    });
    await revokeApiKey(deps(), { apiKeyId: revoked.id, actor });
    await createApiKey(deps(), {
      organizationId: other.id,
      scopes: ["users:delete"],
      allowPowerfulScopes: true,
      actor,
    });

    expect(await listPowerfulCredentials(deps(), { organizationId: org.id })).toEqual([
      expect.objectContaining({
        type: "oauth_client",
        id: client.id,
        name: "exporter",
        powerfulScopes: ["users:export", "users:delete"],
      }),
      expect.objectContaining({
        type: "api_key",
        id: key.id,
        name: "eraser",
        powerfulScopes: ["users:delete"],
      }),
    ]);
    await expect(listPowerfulCredentials(deps(), { organizationId: "org_missing" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
