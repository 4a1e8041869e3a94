import { cliActor, revokeApiKey, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey } from "../testing/start-test-gateway.ts";
import { type RevocationTransport, startTwoInstances, statusesWithin } from "../testing/two-instances.ts";

let t: TestDatabase;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function twoInstancesRevocation(transport: RevocationTransport) {
  const { a, b, revoker, close } = await startTwoInstances(t.db, transport);
  cleanups.push(close);
  const { key, secret } = await createOrgWithKey(t.db);
  const get = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
  expect((await get(a.url)).status).toBe(200);
  expect((await get(b.url)).status).toBe(200);
  expect(a.authenticator.cache.size).toBe(1);

  await revokeApiKey(
    { db: t.db, clock: systemClock, revocations: revoker },
    { apiKeyId: key.id, actor: cliActor() },
  );
  expect(await statusesWithin([a.url, b.url], get)).toEqual([401, 401]);
}

describe("revocation reaches every gateway instance within 1 s", () => {
  it("over PostgreSQL LISTEN/NOTIFY", async () => {
    await twoInstancesRevocation({ postgres: t.url });
  });

  it.runIf(inject("redisUrl"))("over Redis pub/sub", async () => {
    await twoInstancesRevocation({ redis: inject("redisUrl") });
  });
});
