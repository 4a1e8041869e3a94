import { randomBytes } from "node:crypto";
import { newId } from "@dsc/core";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { eventually } from "../../../../test/support/eventually.ts";
import {
  answerJson,
  completion,
  type Responder,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/**
 * Two gateways on one Redis, as deployed: the breaker that request traffic opens on one is open
 * on the other, which stops sending there; after the cool-down one probe goes and, the
 * upstream recovered, closes the breaker on both. Real HTTP upstreams, the `openai` SDK, the
 * breaker settings from the environment (a short cool-down rather than a clock moved by hand).
 */
const redisTarget = await acquireTestRedis();
let t: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await redisTarget?.release();
});

const echo: Responder = (response, request) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(
    JSON.stringify({ ...completion(`from ${String(request.body.model)}`), model: request.body.model }),
  );
};

describe.skipIf(!redisTarget)(
  `two gateways sharing deployment health through Redis ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    it("open on both from one's traffic, then one probe after the cool-down closes it on both", async () => {
      let isDown = true;
      const failing = answerJson(500, { error: { message: "down" } });
      const flaky = await startFakeUpstream((response, request) =>
        isDown ? failing(response, request) : echo(response, request),
      );
      const backup = await startFakeUpstream(echo);
      cleanups.push(flaky.close, backup.close);

      const suffix = randomBytes(4).toString("hex");
      const tier = await t.db.tier.create({
        data: {
          id: `tier_shared_${suffix}`,
          slug: `shared-${suffix}`,
          name: `shared-${suffix}`,
          requestsPerMinute: 10_000,
          maxFileBytes: 1024n,
          isCustom: true,
        },
      });
      const model = `shared-${suffix}`;
      const flakyId = newId("deployment");
      await t.db.model.create({
        data: {
          id: model,
          provider: "OPENAI_COMPATIBLE",
          tiers: { connect: { id: tier.id } },
          deployments: {
            create: [
              { id: flakyId, upstreamBaseUrl: flaky.baseUrl, upstreamModel: "flaky", priority: 0 },
              {
                id: newId("deployment"),
                upstreamBaseUrl: backup.baseUrl,
                upstreamModel: "backup",
                priority: 1,
              },
            ],
          },
        },
      });
      const { secret } = await createOrgWithKey(t.db, { tier: tier.slug });

      const metering = { redisUrl: redisTarget?.url, redisPrefix: `test:${randomBytes(6).toString("hex")}:` };
      const env = { DEPLOYMENT_BREAKER_FAILURES: 2, DEPLOYMENT_BREAKER_COOL_DOWN_MS: 2_000 };
      const first = await startTestGateway({ db: t.db, metering, env });
      const second = await startTestGateway({ db: t.db, metering, env });
      cleanups.push(first.close, second.close);
      const clientOf = (gateway: { url: string }) =>
        new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const ask = async (gateway: { url: string }) =>
        (
          await clientOf(gateway).chat.completions.create({
            model,
            messages: [{ role: "user", content: "hi" }],
          })
        ).choices[0]?.message.content;
      const stateOn = (gateway: typeof first) =>
        gateway.deploymentHealth?.snapshot().find((state) => state.deploymentId === flakyId)?.state ??
        "closed";

      // the first gateway's requests fail on the flaky deployment and are answered by the backup
      expect(await ask(first)).toBe("from backup");
      expect(await ask(first)).toBe("from backup");
      expect(flaky.requests).toHaveLength(2);
      expect(stateOn(first)).toBe("open");

      // the second gateway hears of it within a round trip, well inside the 2 s cool-down, and
      // sends nothing there
      await eventually(() => stateOn(second) === "open", "the second gateway sees the breaker open");
      expect(await ask(second)).toBe("from backup");
      expect(flaky.requests).toHaveLength(2);

      // the upstream recovers; after the cool-down the second gateway's traffic probes it, once
      isDown = false;
      await eventually(
        async () => (await ask(second)) === "from flaky",
        "a probe reaches the recovered upstream",
      );
      expect(flaky.requests).toHaveLength(3);
      expect(stateOn(second)).toBe("closed");
      await eventually(() => stateOn(first) === "closed", "the first gateway hears the breaker closed");
      expect(await ask(first)).toBe("from flaky");
      expect(flaky.requests).toHaveLength(4);
    });
  },
);
