import {
  createOrganizationChangeFeed,
  createPostgresNotifications,
  newId,
  type OrganizationChangeFeed,
  type PostgresNotifications,
  systemClock,
} from "@dsc/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { eventually } from "../../../../test/support/eventually.ts";
import { answerJson, type FakeUpstream, startFakeUpstream } from "../../../../test/support/fake-upstream.ts";
import { acquireTestRedis } from "../../../../test/support/redis-server.ts";
import { parseGatewayEnv } from "../env.ts";
import { buildDeploymentHealth } from "./build-deployment-health.ts";

/**
 * The gateway's deployment health as server.ts builds it: breaker settings from the
 * environment, and active checks for the deployment rows that ask for them, followed through
 * the database's change notifications.
 */
let t: TestDatabase;
let notifications: PostgresNotifications;
let changes: OrganizationChangeFeed;
let down: FakeUpstream;
let up: FakeUpstream;
const redisTarget = await acquireTestRedis();
const silent = pino({ level: "silent" });

beforeAll(async () => {
  t = await createTestDatabase();
  notifications = createPostgresNotifications(t.url);
  changes = await createOrganizationChangeFeed(notifications);
  down = await startFakeUpstream(answerJson(503, { error: { message: "down" } }));
  up = await startFakeUpstream(answerJson(200, { object: "list", data: [] }));
});
afterAll(async () => {
  await notifications?.close();
  await down?.close();
  await up?.close();
  await redisTarget?.release();
});

describe("buildDeploymentHealth", () => {
  it("checks the deployments whose rows ask for it, from when the row changes, and opens on their failures", async () => {
    const env = parseGatewayEnv({ DATABASE_URL: t.url, DEPLOYMENT_BREAKER_FAILURES: "1" });
    const built = await buildDeploymentHealth(env, { db: t.db, clock: systemClock, logger: silent, changes });
    const checked = newId("deployment");
    const unchecked = newId("deployment");
    try {
      expect(built.health.sharing).toBe("memory");
      await t.db.model.create({
        data: {
          id: `checked-${checked}`,
          provider: "OPENAI_COMPATIBLE",
          deployments: {
            create: [
              {
                id: checked,
                upstreamBaseUrl: down.baseUrl,
                upstreamModel: "m",
                healthCheckIntervalMs: 1_000,
              },
              { id: unchecked, upstreamBaseUrl: up.baseUrl, upstreamModel: "m" },
            ],
          },
        },
      });
      await changes.sync();
      await built.activeChecks.settled();
      const stateOf = (id: string) => built.health.snapshot().find((s) => s.deploymentId === id)?.state;
      await eventually(() => stateOf(checked) === "open", "the failing upstream's breaker opens");
      expect(down.requests.map((request) => [request.method, request.path])).toEqual([["GET", "/v1/models"]]);
      expect(up.requests).toEqual([]);
      expect(stateOf(unchecked)).toBeUndefined();
    } finally {
      await built.close();
    }
  });

  it.skipIf(!redisTarget)("shares the breakers through Redis when REDIS_URL is set", async () => {
    const env = parseGatewayEnv({ DATABASE_URL: t.url, REDIS_URL: redisTarget?.url });
    const built = await buildDeploymentHealth(env, {
      db: t.db,
      clock: systemClock,
      logger: silent,
      changes,
      redisPrefix: `test:${newId("deployment")}:`,
    });
    expect(built.health.sharing).toBe("redis");
    await built.close();
  });
});
