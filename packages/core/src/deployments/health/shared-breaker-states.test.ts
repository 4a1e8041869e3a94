import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../../test/support/database.ts";
import { eventually } from "../../../../../test/support/eventually.ts";
import {
  acquireTestRedis,
  findRedisServerBinary,
  NO_REDIS_SERVER_REASON,
  startOwnRedisServer,
} from "../../../../../test/support/redis-server.ts";
import { createDeploymentHealth, type DeploymentHealthService } from "./create-deployment-health.ts";
import type { AttemptOutcome } from "./deployment-health.ts";

/** Two or three gateways' breakers on one real Redis, each test under a prefix of its own. */
const redisTarget = await acquireTestRedis();
let observer: Redis;
const opened: DeploymentHealthService[] = [];

beforeAll(() => {
  if (redisTarget) observer = new Redis(redisTarget.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  for (const health of opened) await health.close();
  observer?.disconnect();
  await redisTarget?.release();
});

const failed: AttemptOutcome = { ok: false, reason: "connect", latencyMs: 2 };

describe.skipIf(!redisTarget)(
  `deployment health shared through Redis ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    const clock = fakeClock();
    let redisPrefix: string;
    // a gateway that could not read the shared states at start says so here
    const errors: unknown[] = [];
    const gateway = async () => {
      const health = await createDeploymentHealth({
        clock,
        redisUrl: redisTarget?.url,
        redisPrefix,
        breaker: { failureThreshold: 2, coolDownMs: 10_000 },
        onError: (error) => errors.push(error),
      });
      opened.push(health);
      return health;
    };
    const stateOf = (health: DeploymentHealthService, deploymentId: string) =>
      health.snapshot().find((s) => s.deploymentId === deploymentId)?.state ?? "closed";

    beforeAll(() => {
      redisPrefix = `test:${randomBytes(6).toString("hex")}:`;
    });

    it("a breaker one gateway opens is open on the other, whose probe then closes it on both", async () => {
      const first = await gateway();
      const second = await gateway();
      expect(first.sharing).toBe("redis");
      expect(second.tryAcquire("dep_shared")).toBe(true);
      second.report("dep_shared", { ok: true, latencyMs: 5 });

      for (let i = 0; i < 2; i++) {
        expect(first.tryAcquire("dep_shared")).toBe(true);
        first.report("dep_shared", failed);
      }
      expect(stateOf(first, "dep_shared")).toBe("open");
      await eventually(() => stateOf(second, "dep_shared") === "open", "the second gateway sees it open");
      expect(second.tryAcquire("dep_shared")).toBe(false);
      expect(second.snapshot()).toContainEqual({
        deploymentId: "dep_shared",
        state: "open",
        coolingUntil: new Date(clock.now().getTime() + 10_000),
        consecutiveFailures: 2,
      });

      // after the cool-down the second gateway takes the one probe: the first must not send another
      clock.advance(10_000);
      expect(second.tryAcquire("dep_shared")).toBe(true);
      await eventually(() => !first.tryAcquire("dep_shared"), "the first gateway sees the probe taken");
      second.report("dep_shared", { ok: true, latencyMs: 5 });
      await eventually(() => stateOf(first, "dep_shared") === "closed", "the first gateway sees it closed");
      expect(first.tryAcquire("dep_shared")).toBe(true);
      // nothing is left to tell: the key is gone
      expect(await observer.exists(`${redisPrefix}state:dep_shared`)).toBe(0);
    });

    it("a gateway that starts later reads the open breakers and 429 cool-downs at start", async () => {
      const first = await gateway();
      for (let i = 0; i < 2; i++) {
        first.tryAcquire("dep_down");
        first.report("dep_down", failed);
      }
      first.tryAcquire("dep_busy");
      first.report("dep_busy", { ok: false, reason: "status_429", latencyMs: 1, retryAfterMs: 7_000 });
      // the writes are the background's: wait until Redis holds both before the next one starts
      await eventually(
        async () =>
          (await observer.exists(`${redisPrefix}state:dep_down`, `${redisPrefix}cooling:dep_busy`)) === 2,
        "both decisions written",
      );
      const late = await gateway();
      const snapshot = late.snapshot();
      expect(snapshot).toContainEqual(expect.objectContaining({ deploymentId: "dep_down", state: "open" }));
      expect(snapshot).toContainEqual({
        deploymentId: "dep_busy",
        state: "closed",
        coolingUntil: new Date(clock.now().getTime() + 7_000),
        consecutiveFailures: 0,
      });
      expect(late.tryAcquire("dep_down")).toBe(false);
      expect(late.tryAcquire("dep_busy")).toBe(false);
      expect(errors).toEqual([]);
      const ttl = await observer.pttl(`${redisPrefix}state:dep_down`);
      expect(ttl).toBeGreaterThan(10_000); // the cool-down, then the probe's time
    });

    it("a cool-down announced by a gateway that had not yet heard of an opening leaves the other's open breaker open", async () => {
      const first = await gateway();
      const second = await gateway();
      const coolingUntil = (health: DeploymentHealthService) =>
        health
          .snapshot()
          .find((s) => s.deploymentId === "dep_race")
          ?.coolingUntil?.getTime() ?? null;
      // in one turn of the event loop: neither can have heard the other
      for (let i = 0; i < 2; i++) {
        first.tryAcquire("dep_race");
        first.report("dep_race", failed);
      }
      second.tryAcquire("dep_race");
      second.report("dep_race", { ok: false, reason: "status_429", latencyMs: 1, retryAfterMs: 45_000 });
      const cooledUntil = clock.now().getTime() + 45_000;
      expect(stateOf(second, "dep_race")).toBe("closed");

      await eventually(() => coolingUntil(first) === cooledUntil, "the first gateway hears the cool-down");
      // the cool-down merged: the opening stands
      expect(stateOf(first, "dep_race")).toBe("open");
      await eventually(() => stateOf(second, "dep_race") === "open", "the second gateway hears the opening");
      expect(coolingUntil(second)).toBe(cooledUntil);

      // a gateway starting now reads both: the decision's key was not overwritten by the cool-down
      const late = await gateway();
      expect(stateOf(late, "dep_race")).toBe("open");
      expect(coolingUntil(late)).toBe(cooledUntil);
    });

    it("a probe released on one gateway frees the slot on the others", async () => {
      const first = await gateway();
      const second = await gateway();
      for (let i = 0; i < 2; i++) {
        first.tryAcquire("dep_released");
        first.report("dep_released", failed);
      }
      await eventually(
        () => stateOf(second, "dep_released") === "open",
        "the second gateway hears the opening",
      );
      clock.advance(10_000);
      expect(first.tryAcquire("dep_released")).toBe(true);
      await eventually(() => !second.tryAcquire("dep_released"), "the second gateway sees the probe taken");
      first.release("dep_released");
      await eventually(() => second.tryAcquire("dep_released"), "the second gateway may probe");
      expect(stateOf(second, "dep_released")).toBe("half_open");
    });

    it("close() ends its Redis connections", async () => {
      const named = async () =>
        String(await observer.client("LIST"))
          .split("\n")
          .filter((line) => line.includes("name=dsc-deployment-health")).length;
      const before = await named();
      const health = await createDeploymentHealth({ clock, redisUrl: redisTarget?.url, redisPrefix });
      expect(await named()).toBe(before + 2);
      await health.close();
      for (let attempt = 0; attempt < 250 && (await named()) > before; attempt++) await sleep(20);
      expect(await named()).toBe(before);
    });
  },
);

const binary = findRedisServerBinary();

describe.skipIf(!binary)(
  `deployment health across a Redis restart ${binary ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    it("decides alone while Redis is down, and shares decisions again once it is back", async () => {
      const server = await startOwnRedisServer(binary as string);
      const clock = fakeClock();
      const gateway = async () => {
        const health = await createDeploymentHealth({
          clock,
          redisUrl: server.url,
          breaker: { failureThreshold: 1 },
        });
        opened.push(health);
        return health;
      };
      try {
        const first = await gateway();
        const second = await gateway();
        await server.stop();
        // while Redis is down each gateway decides alone, and nothing waits for Redis
        expect(first.tryAcquire("dep_alone")).toBe(true);
        first.report("dep_alone", failed);
        expect(first.tryAcquire("dep_alone")).toBe(false);
        expect(second.tryAcquire("dep_alone")).toBe(true);
        second.report("dep_alone", { ok: true, latencyMs: 1 });

        await server.start();
        // each gateway subscribes again as it reconnects; until then a decision is not heard
        const isOpenOnSecond = () =>
          second.snapshot().find((s) => s.deploymentId === "dep_after")?.state === "open";
        for (let attempt = 0; attempt < 250 && !isOpenOnSecond(); attempt++) {
          clock.advance(60_000); // past any cool-down: the first gateway's probe fails and re-opens
          if (first.tryAcquire("dep_after")) first.report("dep_after", failed);
          await sleep(20);
        }
        expect(isOpenOnSecond()).toBe(true);
      } finally {
        await server.dispose();
      }
    });
  },
);

describe("deployment health without Redis", () => {
  it("keeps its breakers in this gateway's memory", async () => {
    const health = await createDeploymentHealth({ clock: fakeClock(), redisUrl: null });
    expect(health.sharing).toBe("memory");
    await health.close();
  });

  it("starts within its time limit when Redis does not answer, and serves from memory", async () => {
    const errors: unknown[] = [];
    const health = await createDeploymentHealth({
      clock: fakeClock(),
      // nothing listens on port 1 of the loopback
      redisUrl: "redis://127.0.0.1:1",
      redisStartTimeoutMs: 300,
      breaker: { failureThreshold: 1 },
      onError: (error) => errors.push(error),
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(health.tryAcquire("dep_a")).toBe(true);
    health.report("dep_a", failed);
    expect(health.tryAcquire("dep_a")).toBe(false);
    await health.close();
  });
});
