import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint.ts";
import { rotateWebhookSecret } from "../webhooks/rotate-webhook-secret.ts";
import { checkMasterKeys } from "./check-master-keys.ts";
import { getOrCreateDataKey } from "./data-keys.ts";
import { MasterKeyError } from "./master-key-error.ts";
import { createMasterKeyHealth } from "./master-key-health.ts";
import { parseMasterKeyring } from "./master-keyring.ts";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const clock = fakeClock();

let shared: TestDatabase;
beforeAll(async () => {
  shared = await createTestDatabase();
});

async function dataKeyUnder(t: TestDatabase, ring: string, name: string) {
  const org = await createOrganization({ db: t.db, clock }, { name, tier: "free", actor: cliActor() });
  return getOrCreateDataKey(
    { db: t.db, clock, keyring: parseMasterKeyring(ring) },
    { organizationId: org.id, endUserId: null },
  );
}

describe("checkMasterKeys", () => {
  it("writes a check value for each version at its first start and passes with the same keys after", async () => {
    const t = shared;
    const keyring = parseMasterKeyring(`1:${key(1)}`);
    expect(await t.db.masterKeyCheck.count()).toBe(0);
    expect(await checkMasterKeys({ db: t.db, clock, keyring })).toEqual([]);
    const [row] = await t.db.masterKeyCheck.findMany();
    expect(row?.version).toBe(1);
    // sealed, not the key nor the text in clear
    expect(Buffer.from(row?.checkValue ?? []).includes(Buffer.alloc(32, 1))).toBe(false);
    expect(Buffer.from(row?.checkValue ?? []).includes(Buffer.from("master key check"))).toBe(false);

    expect(await checkMasterKeys({ db: t.db, clock, keyring })).toEqual([]);
    expect(await t.db.masterKeyCheck.count()).toBe(1);
  });

  it("names the version whose key was replaced, and writes nothing for it", async () => {
    const t = shared;
    const replaced = parseMasterKeyring(`1:${key(9)}`);
    expect(await checkMasterKeys({ db: t.db, clock, keyring: replaced })).toEqual([
      { version: 1, reason: "wrong_key" },
    ]);
    // a new version next to the replaced one gets its check value; the replaced one still fails
    const rotated = parseMasterKeyring(`2:${key(2)},1:${key(9)}`);
    expect(await checkMasterKeys({ db: t.db, clock, keyring: rotated })).toEqual([
      { version: 1, reason: "wrong_key" },
    ]);
    expect(
      (await t.db.masterKeyCheck.findMany({ orderBy: { version: "asc" } })).map((r) => r.version),
    ).toEqual([1, 2]);
  });

  it("names a version that wraps stored data keys but is missing from ENCRYPTION_KEY", async () => {
    // check values are per database: one of its own
    const t = await createTestDatabase();
    await dataKeyUnder(t, `3:${key(3)}`, "lost");
    expect(await checkMasterKeys({ db: t.db, clock, keyring: parseMasterKeyring(`4:${key(4)}`) })).toEqual([
      { version: 3, reason: "not_configured" },
    ]);
  });

  it("names a version that seals a webhook signing secret, current or previous, but is missing", async () => {
    // check values are per database: one of its own
    const t = await createTestDatabase();
    const org = await createOrganization(
      { db: t.db, clock },
      { name: "hooks", tier: "free", actor: cliActor() },
    );
    const deps = (ring: string) => ({
      db: t.db,
      clock,
      keyring: parseMasterKeyring(ring),
      addressPolicy: { allowPrivate: false },
    });
    const { endpoint } = await createWebhookEndpoint(deps(`5:${key(5)}`), {
      organizationId: org.id,
      url: "https://93.184.215.14/hook",
      eventTypes: ["quota.threshold_reached"],
      actor: cliActor(),
    });
    // rotated under version 6: the previous secret stays sealed under 5 for its grace period
    await rotateWebhookSecret(deps(`6:${key(6)},5:${key(5)}`), {
      endpointId: endpoint.id,
      viewer: { organizationId: null },
      gracePeriodMs: 3_600_000,
      actor: cliActor(),
    });
    expect(await checkMasterKeys({ db: t.db, clock, keyring: parseMasterKeyring(`6:${key(6)}`) })).toEqual([
      { version: 5, reason: "not_configured" },
    ]);
    expect(await checkMasterKeys({ db: t.db, clock, keyring: parseMasterKeyring(`7:${key(7)}`) })).toEqual([
      { version: 5, reason: "not_configured" },
      { version: 6, reason: "not_configured" },
    ]);
  });

  it("does not adopt a replaced key for data written before the check existed", async () => {
    // check values are per database: one of its own
    const t = await createTestDatabase();
    await dataKeyUnder(t, `1:${key(1)}`, "before the check");
    expect(await t.db.masterKeyCheck.count()).toBe(0);
    expect(await checkMasterKeys({ db: t.db, clock, keyring: parseMasterKeyring(`1:${key(7)}`) })).toEqual([
      { version: 1, reason: "wrong_key" },
    ]);
    expect(await t.db.masterKeyCheck.count()).toBe(0);
    // the right key opens the data key and then gets its check value
    expect(await checkMasterKeys({ db: t.db, clock, keyring: parseMasterKeyring(`1:${key(1)}`) })).toEqual(
      [],
    );
    expect(await t.db.masterKeyCheck.count()).toBe(1);
  });
});

describe("createMasterKeyHealth", () => {
  it("keeps the start-up failures and adds the versions that fail to seal at run time", async () => {
    const health = createMasterKeyHealth([{ version: 1, reason: "wrong_key" }]);
    expect(health.describe()).toMatch(/master key version 1 .*not the key/);
    expect(health.recordSealFailure(new Error("connection refused"))).toBe(false);
    const wrapped = new Error("chat logs lost", {
      cause: new MasterKeyError({ version: 2, reason: "not_configured" }),
    });
    expect(health.recordSealFailure(wrapped)).toBe(true);
    expect(health.recordSealFailure(new MasterKeyError({ version: 2, reason: "not_configured" }))).toBe(true);
    expect(health.sealFailures()).toBe(2);
    expect(health.failures()).toEqual([
      { version: 1, reason: "wrong_key" },
      { version: 2, reason: "not_configured" },
    ]);
  });

  it("is healthy with no failures", () => {
    const health = createMasterKeyHealth([]);
    expect(health.failures()).toEqual([]);
    expect(health.describe()).toBe("");
  });
});
