import {
  cliActor,
  createPostgresRevocationBus,
  createRedisRevocationBus,
  type RevocationBus,
  revokeOAuthClient,
  systemClock,
} from "@dsc/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import {
  createOrgWithOAuthClient,
  requestAccessToken,
  startTestGateway,
} from "../testing/start-test-gateway.ts";

let t: TestDatabase;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function twoInstancesRevokeClient(makeBus: () => RevocationBus) {
  const buses = [makeBus(), makeBus(), makeBus()];
  for (const bus of buses) cleanups.push(() => bus.close());
  // a long cache TTL: only the revocation message can make the instances forget the client
  const [a, b] = [
    await startTestGateway({ db: t.db, revocations: buses[0], cacheTtlMs: 60_000 }),
    await startTestGateway({ db: t.db, revocations: buses[1], cacheTtlMs: 60_000 }),
  ];
  cleanups.push(a.close, b.close);
  const { client, secret } = await createOrgWithOAuthClient(t.db);
  // the token comes from one instance and is used on both: the signing keys are shared
  const token = await requestAccessToken(a.url, { clientId: client.id, secret });
  const get = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect((await get(a.url)).status).toBe(200);
  expect((await get(b.url)).status).toBe(200);
  expect(b.accessTokens.cachedClients).toBe(1);

  // revoked by a third process (the CLI, the dashboard) that publishes on its own bus
  const revokedAt = Date.now();
  await revokeOAuthClient(
    { db: t.db, clock: systemClock, revocations: buses[2] },
    { clientId: client.id, actor: cliActor() },
  );
  const statuses: number[] = [];
  while (Date.now() - revokedAt < 1_000) {
    statuses.splice(0, 2, (await get(a.url)).status, (await get(b.url)).status);
    if (statuses.every((status) => status === 401)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(statuses).toEqual([401, 401]);
}

describe("revoking an OAuth client ends its live tokens on every instance within 1 s", () => {
  it("over PostgreSQL LISTEN/NOTIFY", async () => {
    await twoInstancesRevokeClient(() => createPostgresRevocationBus(t.url));
  });

  it.runIf(inject("redisUrl"))("over Redis pub/sub", async () => {
    await twoInstancesRevokeClient(() => createRedisRevocationBus(inject("redisUrl")));
  });
});
