import { cliActor, revokeOAuthClient, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithOAuthClient, requestAccessToken } from "../testing/start-test-gateway.ts";
import { type RevocationTransport, startTwoInstances, statusesWithin } from "../testing/two-instances.ts";

let t: TestDatabase;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function twoInstancesRevokeClient(transport: RevocationTransport) {
  const { a, b, revoker, close } = await startTwoInstances(t.db, transport);
  cleanups.push(close);
  const { client, secret } = await createOrgWithOAuthClient(t.db);
  // the token comes from one instance and is used on both: the signing keys are shared
  const token = await requestAccessToken(a.url, { clientId: client.id, secret });
  const get = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect((await get(a.url)).status).toBe(200);
  expect((await get(b.url)).status).toBe(200);
  expect(b.accessTokens.cachedClients).toBe(1);

  await revokeOAuthClient(
    { db: t.db, clock: systemClock, revocations: revoker },
    { clientId: client.id, actor: cliActor() },
  );
  expect(await statusesWithin([a.url, b.url], get)).toEqual([401, 401]);
}

describe("revoking an OAuth client ends its live tokens on every instance within 1 s", () => {
  it("over PostgreSQL LISTEN/NOTIFY", async () => {
    await twoInstancesRevokeClient({ postgres: t.url });
  });

  it.runIf(inject("redisUrl"))("over Redis pub/sub", async () => {
    await twoInstancesRevokeClient({ redis: inject("redisUrl") });
  });
});
