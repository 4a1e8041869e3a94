import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { createRedisConnection, waitUntilConnected } from "./redis-connection.ts";

const redisTarget = await acquireTestRedis();

describe.skipIf(!redisTarget)(`createRedisConnection ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`, () => {
  let redis: Redis;
  /** another client, to cut the first one's connection from the server's side */
  let admin: Redis;
  const prefix = `test:connection:${randomBytes(6).toString("hex")}:`;
  const keys = Array.from({ length: 20 }, (_, index) => `${prefix}${index}`);
  const socketOf = (client: Redis) => client.stream as Socket;

  beforeAll(async () => {
    redis = createRedisConnection(redisTarget?.url ?? "");
    admin = new Redis(redisTarget?.url ?? "", { maxRetriesPerRequest: 1 });
    expect(await waitUntilConnected(redis, 5_000)).toBe(true);
  });

  afterAll(async () => {
    await admin.del(...keys).catch(() => {});
    redis.disconnect();
    admin.disconnect();
    await redisTarget?.release();
  });

  it("holds the commands of one turn of the event loop in the socket and writes them together at its end", async () => {
    await nextTurn();
    const answers = Promise.all(keys.map((key, index) => redis.set(key, `value ${index}`)));
    const socket = socketOf(redis);
    // all twenty wait in the corked socket's buffer: none was written on its own
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBeGreaterThan(20 * prefix.length);
    expect(await answers).toEqual(keys.map(() => "OK"));
    expect(socket.writableCorked).toBe(0);
    expect(socket.writableLength).toBe(0);
    expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(
      keys.map((_, index) => `value ${index}`),
    );
  });

  it("answers commands of turns one after another, each written at its turn's end", async () => {
    for (const [index, key] of keys.slice(0, 5).entries()) {
      const answer = redis.get(key);
      expect(socketOf(redis).writableCorked).toBe(1);
      expect(await answer).toBe(`value ${index}`);
      expect(socketOf(redis).writableCorked).toBe(0);
    }
  });

  it("goes on after the server cuts its connection in the middle of a turn", async () => {
    const id = await redis.client("ID");
    const before = socketOf(redis);
    // not events.once: the connection's error before it is ready again would reject that
    const readyAgain = new Promise((resolve) => redis.once("ready", resolve));
    // a command corks the socket, and the server drops the connection before the turn ends
    const lost = redis.get(keys[0] as string).catch((error: unknown) => error);
    await admin.client("KILL", "ID", String(id));
    await lost;
    await readyAgain;
    expect(socketOf(redis)).not.toBe(before);
    await nextTurn();
    const values = Promise.all(keys.slice(0, 10).map((key) => redis.get(key)));
    expect(socketOf(redis).writableCorked).toBe(1);
    expect(await values).toEqual(keys.slice(0, 10).map((_, index) => `value ${index}`));
  });
});
