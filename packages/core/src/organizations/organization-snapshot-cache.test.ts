import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import {
  createPostgresNotifications,
  type PostgresNotifications,
} from "../notifications/postgres-notifications.ts";
import { createOrganization } from "./create-organization.ts";
import {
  createOrganizationChangeFeed,
  ORGANIZATION_CHANGES_CHANNEL,
  type OrganizationChangeFeed,
  parseOrganizationChange,
} from "./organization-changes.ts";
import { createOrganizationSnapshotCache } from "./organization-snapshot-cache.ts";

let t: TestDatabase;
let notifications: PostgresNotifications;
let feed: OrganizationChangeFeed;
beforeAll(async () => {
  t = await createTestDatabase();
  notifications = createPostgresNotifications(t.url);
  feed = await createOrganizationChangeFeed(notifications);
});
afterAll(() => notifications.close());

const unique = () => randomBytes(4).toString("hex");

/** A new organization, once the cache has heard of its creation (which drops nothing). */
async function newOrganization(tier = "free") {
  const org = await createOrganization(
    { db: t.db, clock: fakeClock() },
    { name: `Snapshot ${unique()}`, tier, actor: cliActor("test") },
  );
  await feed.sync();
  return org;
}

/** A key without limits of its own, once the cache has heard of its creation. */
async function newKey(organizationId: string) {
  const key = await t.db.apiKey.create({
    data: { id: `key_${unique()}`, organizationId, name: "k", hash: unique(), prefix: "sk-", scopes: [] },
  });
  await feed.sync();
  return key;
}

function followingCache(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = fakeClock();
  const cache = createOrganizationSnapshotCache({ db: t.db, clock }, options);
  cache.follow(feed);
  return { cache, clock };
}

/** Every payload the triggers send while `action` runs (after it has committed). */
async function notificationsDuring(action: () => Promise<unknown>): Promise<string[]> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  const payloads: string[] = [];
  client.on("notification", (message) => payloads.push(message.payload ?? ""));
  await client.query(`LISTEN ${ORGANIZATION_CHANGES_CHANNEL}`);
  try {
    await action();
    await feed.sync();
    await client.query("SELECT 1"); // the listener's own notifications arrive before this answer
    return payloads.filter((payload) => !payload.startsWith("sync:"));
  } finally {
    await client.end();
  }
}

describe("OrganizationSnapshotCache", () => {
  it("reads an organization once and serves it from memory until the TTL", async () => {
    const org = await newOrganization();
    const clock = fakeClock();
    // not following the feed: only the TTL can drop it
    const cache = createOrganizationSnapshotCache({ db: t.db, clock }, { ttlMs: 1_000 });
    const first = await cache.get(org.id);
    expect(first).toMatchObject({ id: org.id, tier: { requestsPerMinute: 5 }, dataCollectionOptOut: false });
    expect(first?.models.map((model) => model.id)).toContain("deepseek-chst-1.0");

    await t.db.organization.update({ where: { id: org.id }, data: { dataCollectionOptOut: true } });
    expect(await cache.get(org.id)).toBe(first);
    clock.advance(1_000);
    expect((await cache.get(org.id))?.dataCollectionOptOut).toBe(true);
  });

  it("answers concurrent misses with one read, and null for an organization that does not exist", async () => {
    const org = await newOrganization();
    const { cache } = followingCache();
    const [a, b] = await Promise.all([cache.get(org.id), cache.get(org.id)]);
    expect(a).toBe(b);
    expect(await cache.get("org_missing")).toBeNull();
    expect(cache.size).toBe(1);
  });

  it("drops an organization when the database announces a change to it, whoever made it", async () => {
    const [org, bystander] = [await newOrganization(), await newOrganization()];
    const { cache } = followingCache();
    const before = await cache.get(org.id);
    const untouched = await cache.get(bystander.id);
    const pro = await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } });
    await t.db.$executeRaw`UPDATE organization SET tier_id = ${pro.id} WHERE id = ${org.id}`;
    await feed.sync();
    const after = await cache.get(org.id);
    expect(after).not.toBe(before);
    expect(after?.tier.requestsPerMinute).toBe(60);
    expect(await cache.get(bystander.id)).toBe(untouched);
  });

  it("drops the organizations of a changed tier, and everything when the model catalogue changes", async () => {
    const onFree = await newOrganization("free");
    const onPro = await newOrganization("pro");
    const { cache } = followingCache();
    const [free1, pro1] = [await cache.get(onFree.id), await cache.get(onPro.id)];
    const pro = await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } });
    await t.db.tier.update({ where: { id: pro.id }, data: { tokensPerMinute: pro.tokensPerMinute } });
    await feed.sync();
    expect(await cache.get(onFree.id)).toBe(free1);
    const pro2 = await cache.get(onPro.id);
    expect(pro2).not.toBe(pro1);

    const model = await t.db.model.create({ data: { id: `snap-${unique()}`, provider: "LOCAL" } });
    await t.db.model.update({ where: { id: model.id }, data: { tiers: { connect: { id: pro.id } } } });
    await feed.sync();
    expect(await cache.get(onFree.id)).not.toBe(free1);
    expect((await cache.get(onPro.id))?.models.map((m) => m.id)).toContain(model.id);
  });

  it("carries the limits of the organization's keys that have their own, and follows changes to them", async () => {
    const org = await newOrganization();
    const key = await newKey(org.id);
    const { cache } = followingCache();
    expect((await cache.get(org.id))?.keyLimits.size).toBe(0);
    await t.db.apiKey.update({ where: { id: key.id }, data: { tokensPerMinute: 500 } });
    await feed.sync();
    expect((await cache.get(org.id))?.keyLimits.get(key.id)).toEqual({
      requestsPerMinute: null,
      tokensPerMinute: 500,
    });
  });

  it("is not told about key activity that changes no limit (last_used_at is written all day)", async () => {
    const org = await newOrganization();
    const key = await newKey(org.id);
    const quiet = await notificationsDuring(() =>
      t.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }),
    );
    expect(quiet).toEqual([]);
    const moved = await newOrganization();
    const loud = await notificationsDuring(() =>
      t.db.apiKey.update({ where: { id: key.id }, data: { organizationId: moved.id } }),
    );
    expect(loud.sort()).toEqual([`organization:${moved.id}`, `organization:${org.id}`].sort());
  });

  it("does not keep what a read started before a change returned", async () => {
    const org = await newOrganization();
    const { cache } = followingCache();
    const stale = cache.get(org.id);
    cache.apply({ kind: "organization", id: org.id });
    await stale;
    expect(cache.size).toBe(0);
  });

  it("forgets everything when changes may have been missed, and keeps at most maxEntries", async () => {
    const orgs = [await newOrganization(), await newOrganization(), await newOrganization()];
    const { cache } = followingCache({ maxEntries: 2 });
    for (const org of orgs) await cache.get(org.id);
    expect(cache.size).toBe(2);
    cache.apply({ kind: "unknown" });
    expect(cache.size).toBe(0);
  });
});

describe("parseOrganizationChange", () => {
  it.each([
    ["organization:org_1", { kind: "organization", id: "org_1" }],
    ["tier:tier_pro", { kind: "tier", id: "tier_pro" }],
    ["models", { kind: "models" }],
    ["organization:", { kind: "unknown" }],
    ["something-else", { kind: "unknown" }],
  ])("%s", (payload, change) => {
    expect(parseOrganizationChange(payload)).toEqual(change);
  });
});
