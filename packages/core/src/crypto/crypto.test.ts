import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { open, seal } from "./aead.ts";
import { getOrCreateDataKey, rewrapDataKeys, unwrap } from "./data-keys.ts";
import { MasterKeyError } from "./master-key-error.ts";
import { parseMasterKeyring } from "./master-keyring.ts";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");

describe("seal and open (AES-256-GCM)", () => {
  it("round-trips, with a fresh nonce each time", () => {
    const k = randomBytes(32);
    const a = seal(k, Buffer.from("hello"), "ctx");
    const b = seal(k, Buffer.from("hello"), "ctx");
    expect(a.equals(b)).toBe(false);
    expect(open(k, a, "ctx").toString()).toBe("hello");
  });

  it("refuses a wrong key, tampered bytes, or another context", () => {
    const k = randomBytes(32);
    const sealed = seal(k, Buffer.from("hello"), "ctx");
    expect(() => open(randomBytes(32), sealed, "ctx")).toThrow();
    expect(() => open(k, sealed, "other")).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    expect(() => open(k, tampered, "ctx")).toThrow();
  });

  it("draws a distinct nonce for every seal, across refills of the nonce pool", () => {
    const k = randomBytes(32);
    const sealed = Array.from({ length: 1_000 }, (_, i) => seal(k, Buffer.from(`turn ${i}`), "ctx"));
    expect(new Set(sealed.map((s) => s.subarray(0, 12).toString("hex"))).size).toBe(1_000);
    // every output owns its nonce: refilling the pool did not change what was sealed before
    expect(sealed.map((s) => open(k, s, "ctx").toString())).toEqual(sealed.map((_, i) => `turn ${i}`));
  });
});

describe("parseMasterKeyring", () => {
  it("takes the highest version as current and keeps older ones for unwrapping", () => {
    const ring = parseMasterKeyring(`1:${key(1)}, 3:${key(3)},2:${key(2)}`);
    expect(ring.current.version).toBe(3);
    expect(ring.versions).toEqual([3, 2, 1]);
    expect(ring.byVersion(1)?.key.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(parseMasterKeyring(key(9)).current.version).toBe(1);
  });

  it("refuses short keys, duplicates and garbage", () => {
    expect(() => parseMasterKeyring(Buffer.alloc(16).toString("base64"))).toThrow(/32 bytes/);
    expect(() => parseMasterKeyring(`1:${key(1)},1:${key(2)}`)).toThrow(/twice/);
    expect(() => parseMasterKeyring("not a key!")).toThrow();
    expect(() => parseMasterKeyring("")).toThrow(/empty/);
  });
});

describe("data keys", () => {
  let t: TestDatabase;
  const clock = fakeClock();
  beforeAll(async () => {
    t = await createTestDatabase();
  });

  it("are one per (organization, end user), stored only wrapped", async () => {
    const keyring = parseMasterKeyring(`1:${key(1)}`);
    const org = await createOrganization({ db: t.db, clock }, { name: "K", tier: "free", actor: cliActor() });
    const deps = { db: t.db, clock, keyring };
    const orgKey = await getOrCreateDataKey(deps, { organizationId: org.id, endUserId: null });
    const alice = await getOrCreateDataKey(deps, { organizationId: org.id, endUserId: "alice" });
    const aliceAgain = await getOrCreateDataKey(deps, { organizationId: org.id, endUserId: "alice" });
    expect(alice.id).toBe(aliceAgain.id);
    expect(alice.key.equals(aliceAgain.key)).toBe(true);
    expect(alice.id).not.toBe(orgKey.id);
    const row = await t.db.dataKey.findUniqueOrThrow({ where: { id: alice.id } });
    expect(Buffer.from(row.wrappedKey).includes(alice.key)).toBe(false);
  });

  it("are created once when several writers ask for a new subject's key at the same moment", async () => {
    const keyring = parseMasterKeyring(`1:${key(1)}`);
    const org = await createOrganization({ db: t.db, clock }, { name: "C", tier: "free", actor: cliActor() });
    const deps = { db: t.db, clock, keyring };
    const subject = { organizationId: org.id, endUserId: "bob" };
    const keys = await Promise.all(Array.from({ length: 8 }, () => getOrCreateDataKey(deps, subject)));
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(keys.every((k) => k.key.equals(keys[0]?.key ?? Buffer.alloc(0)))).toBe(true);
    expect(await t.db.dataKey.count({ where: { organizationId: org.id, endUserId: "bob" } })).toBe(1);
  });

  it("are re-wrapped under a new master key without changing, and old keys can then be dropped", async () => {
    const v1 = parseMasterKeyring(`1:${key(1)}`);
    const org = await createOrganization({ db: t.db, clock }, { name: "R", tier: "free", actor: cliActor() });
    const before = await getOrCreateDataKey(
      { db: t.db, clock, keyring: v1 },
      { organizationId: org.id, endUserId: "bob" },
    );

    const both = parseMasterKeyring(`2:${key(2)},1:${key(1)}`);
    expect(
      (await rewrapDataKeys({ db: t.db, keyring: both }, { batchSize: 1 })).rewrapped,
    ).toBeGreaterThanOrEqual(1);
    expect(await t.db.dataKey.count({ where: { masterKeyVersion: 1 } })).toBe(0);
    expect((await rewrapDataKeys({ db: t.db, keyring: both })).rewrapped).toBe(0);

    const v2only = parseMasterKeyring(`2:${key(2)}`);
    const row = await t.db.dataKey.findUniqueOrThrow({ where: { id: before.id } });
    expect(unwrap(v2only, row).equals(before.key)).toBe(true);
    expect(() => unwrap(v1, row)).toThrow(/version 2/);
  });

  it("destroyed by an erasure under way, are neither loaded nor re-wrapped, and no master key is blamed", async () => {
    const v1 = parseMasterKeyring(`1:${key(1)}`);
    const org = await createOrganization({ db: t.db, clock }, { name: "D", tier: "free", actor: cliActor() });
    const subject = { organizationId: org.id, endUserId: "leaving" };
    const { id } = await getOrCreateDataKey({ db: t.db, keyring: v1, clock }, subject);
    // what the chat-log eraser does first: the key is shredded, its row deleted after the logs
    await t.db.dataKey.update({
      where: { id },
      data: { wrappedKey: new Uint8Array(0), destroyedAt: new Date() },
    });

    const error = await getOrCreateDataKey({ db: t.db, keyring: v1, clock }, subject).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(MasterKeyError);
    const both = parseMasterKeyring(`1:${key(1)},2:${key(2)}`);
    await rewrapDataKeys({ db: t.db, keyring: both });
    expect((await t.db.dataKey.findUniqueOrThrow({ where: { id } })).masterKeyVersion).toBe(1);
  });
});
