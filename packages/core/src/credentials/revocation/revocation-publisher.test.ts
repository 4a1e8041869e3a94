import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/support/database.ts";
import { within } from "../../../../../test/support/fake-upstream.ts";
import {
  createPostgresNotifications,
  NOTIFY_APPLICATION_NAME,
  type PostgresNotifications,
} from "../../notifications/postgres-notifications.ts";
import { createRevocationPublisher } from "./create-revocation-bus.ts";
import { createPostgresRevocationBus } from "./postgres-revocation-bus.ts";
import { createRedisRevocationBus } from "./redis-revocation-bus.ts";
import type { RevocationBus } from "./revocation-bus.ts";

let t: TestDatabase;
const closing: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  for (const resource of closing.splice(0).reverse()) await resource.close();
});

/**
 * A gateway's side: subscribes, and lets the test wait until it hears of `credentialId` (other
 * test files may announce theirs on the same Redis meanwhile).
 */
async function listenFor(bus: RevocationBus, credentialId: string): Promise<() => Promise<void>> {
  let heard = () => {};
  const arrived = new Promise<void>((resolve) => {
    heard = resolve;
  });
  await bus.subscribe((id) => {
    if (id === credentialId) heard();
  });
  return () => within(arrived, 10_000, `the revocation of ${credentialId} to arrive`);
}

/** connections open to send notifications */
const notifyConnections = async () =>
  Number(
    (
      await t.db.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM pg_stat_activity
         WHERE application_name = ${NOTIFY_APPLICATION_NAME} AND datname = current_database()`
    )[0]?.count ?? 0,
  );

describe("a process that only announces revocations (CLI, dashboard)", () => {
  it("announces over PostgreSQL without Redis, and closes its own connection", async () => {
    const gatewayNotifications: PostgresNotifications = createPostgresNotifications(t.url);
    closing.push(gatewayNotifications);
    const revoked = await listenFor(createPostgresRevocationBus(gatewayNotifications), "key_revoked_1");

    const publisher = createRevocationPublisher({ redisUrl: null, databaseUrl: t.url });
    await publisher.publish("key_revoked_1");
    await revoked();

    expect(await notifyConnections()).toBe(1);
    await publisher.close();
    // the server lists a backend for a moment after its client hung up
    for (let attempt = 0; attempt < 100 && (await notifyConnections()) > 0; attempt++) await sleep(20);
    expect(await notifyConnections()).toBe(0);
  });

  it.skipIf(!process.env.REDIS_URL)("announces over Redis when it is configured", async () => {
    const redisUrl = process.env.REDIS_URL as string;
    const gatewayBus = createRedisRevocationBus(redisUrl);
    closing.push(gatewayBus);
    const revoked = await listenFor(gatewayBus, "key_revoked_2");

    const publisher = createRevocationPublisher({ redisUrl, databaseUrl: t.url });
    closing.push(publisher);
    await publisher.publish("key_revoked_2");
    await revoked();
    expect(await notifyConnections()).toBe(0);
  });
});
