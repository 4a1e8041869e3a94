import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRedisRevocationBus } from "@dsc/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { answerJson, completion, startFakeUpstream, within } from "../../../test/support/fake-upstream.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../test/support/redis-server.ts";
import { buildGateway } from "./build-gateway.ts";
import { buildGatewayDeps } from "./build-gateway-deps.ts";
import { parseGatewayEnv } from "./env.ts";
import { createOrgWithKey, startTestGateway, TEST_PEPPER } from "./testing/start-test-gateway.ts";

/** One wiring: server.ts and the test gateways build their dependencies with buildGatewayDeps. */
let t: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The environment server.ts would parse, on this test's database and a data directory of its own. */
async function envWith(variables: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-gateway-deps-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return parseGatewayEnv({
    NODE_ENV: "test",
    DATABASE_URL: t.url,
    DATA_DIR: dataDir,
    API_KEY_PEPPER: TEST_PEPPER,
    ...variables,
  });
}

const chatRequest = (model: string, secret: string) => ({
  method: "POST",
  headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
  body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
});

describe("the test gateway", () => {
  it("runs the production wiring: a model row naming an upstream is answered by that upstream", async () => {
    // the harness used to answer every model with the built-in one; the production registry routes by row
    const upstream = await startFakeUpstream(answerJson(200, completion("from the upstream")));
    cleanups.push(upstream.close);
    const gateway = await startTestGateway({ db: t.db });
    cleanups.push(gateway.close);
    const free = await t.db.tier.findUniqueOrThrow({ where: { slug: "free" } });
    await t.db.model.create({
      data: {
        id: "routed-upstream-1",
        provider: "OPENAI_COMPATIBLE",
        upstreamBaseUrl: upstream.baseUrl,
        upstreamModel: "upstream-model",
        tiers: { connect: { id: free.id } },
      },
    });
    await gateway.organizationChangesApplied();
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });

    const response = await fetch(
      `${gateway.url}/v1/chat/completions`,
      chatRequest("routed-upstream-1", secret),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("from the upstream");
    expect(upstream.requests.map((request) => request.body.model)).toEqual(["upstream-model"]);
    // and the production defaults of the rest: limits in memory, files on disk under DATA_DIR
    expect(gateway.metering.store).toBe("memory");
    expect(gateway.fileStorage.kind).toBe("disk");
  });
});

describe("buildGatewayDeps", () => {
  it("writes the usage events and last uses its writers hold when closed, as on SIGTERM", async () => {
    const env = await envWith({ USAGE_FLUSH_INTERVAL_MS: "60000", USAGE_BATCH_SIZE: "10000" });
    // nor does the last-use recorder's interval come: only close() can write them
    const built = await buildGatewayDeps(env, {
      db: t.db,
      logger: pino({ level: "silent" }),
      lastUsedFlushMs: 600_000,
    });
    const app = buildGateway(built.deps, built.options);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { org, key, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("gateway has no address");

    const response = await fetch(
      `http://127.0.0.1:${address.port}/v1/chat/completions`,
      chatRequest("deepseek-chst-1.0", secret),
    );
    expect(response.status).toBe(200);
    await response.text();
    await built.deps.metering.whenMetered(1);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(0);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeNull();

    await app.close();
    await built.close();
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(1);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).not.toBeNull();
  });
});

const redisTarget = await acquireTestRedis();
if (redisTarget) cleanups.push(redisTarget.release);

describe.skipIf(!redisTarget)(
  `buildGatewayDeps with REDIS_URL ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    it("keeps limits and the cache in Redis and hears revocations over Redis pub/sub", async () => {
      const redisUrl = redisTarget?.url as string;
      // a minute of key cache: only a revocation message can make the key fail within the second
      const env = await envWith({ REDIS_URL: redisUrl, KEY_CACHE_TTL_MS: "60000" });
      const built = await buildGatewayDeps(env, {
        db: t.db,
        logger: pino({ level: "silent" }),
        metering: { redisPrefix: `test:${randomBytes(6).toString("hex")}:` },
      });
      cleanups.push(built.close);
      expect(built.deps.metering.store).toBe("redis");
      expect(built.deps.metering.cache).not.toBeNull();

      const { key, secret } = await createOrgWithKey(t.db, { tier: "pro" });
      expect(await built.apiKeys.authenticate(secret)).toMatchObject({ credentialId: key.id });
      await t.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      const revoker = createRedisRevocationBus(redisUrl);
      cleanups.push(() => revoker.close());
      await revoker.publish(key.id);
      const revoked = (async () => {
        while ((await built.apiKeys.authenticate(secret)) !== null) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await within(revoked, 1_000, "the revocation arriving over Redis");
    });
  },
);
