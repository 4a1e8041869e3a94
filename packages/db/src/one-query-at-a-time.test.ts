import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/database.ts";
import { createDatabaseClient, type Database, sqlPoolOf } from "./client.ts";

/**
 * The most queries each connection of the client's pool was asked to run at once, seen by
 * wrapping every connection's `query` as the pool opens it.
 */
function watchConcurrentQueries(db: Database) {
  const most = new Map<pg.PoolClient, number>();
  sqlPoolOf(db).on("connect", (connection) => {
    const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
    let running = 0;
    most.set(connection, 0);
    const ended = () => {
      running -= 1;
    };
    Object.assign(connection, {
      // both forms pg offers: a promise, or a callback as the last argument
      query: (...args: unknown[]) => {
        running += 1;
        most.set(connection, Math.max(most.get(connection) ?? 0, running));
        const callback = args.at(-1);
        if (typeof callback === "function")
          return query(...args.slice(0, -1), (...results: unknown[]) => {
            ended();
            callback(...results);
          });
        return (query(...args) as Promise<unknown>).finally(ended);
      },
    });
  });
  return {
    most: () => Math.max(0, ...most.values()),
    reset: () => {
      for (const connection of most.keys()) most.set(connection, 0);
    },
  };
}

describe("a transaction's queries", () => {
  let db: Database;
  let watch: ReturnType<typeof watchConcurrentQueries>;
  beforeAll(async () => {
    const { url } = await createTestDatabase();
    db = createDatabaseClient(url, { maxConnections: 2 });
    watch = watchConcurrentQueries(db);
  });
  afterAll(() => db.$disconnect());

  it("reach the transaction's connection one at a time when an include runs several", async () => {
    // three relations: Prisma's interpreter asks for them together
    const model = await db.$transaction((tx) =>
      tx.model.findFirstOrThrow({ include: { tiers: true, aliases: true, deployments: true } }),
    );
    expect(model.deployments.length).toBeGreaterThan(0);
    expect(model.tiers.length).toBeGreaterThan(0);
    expect(watch.most()).toBe(1);
  });

  it("still roll back together when one of them fails", async () => {
    watch.reset();
    const before = await db.tier.count();
    await expect(
      db.$transaction(async (tx) => {
        await tx.tier.create({
          data: {
            id: "tier_one_query",
            slug: "one-query",
            name: "One query",
            requestsPerMinute: 1,
            maxFileBytes: 1n,
          },
        });
        await tx.$queryRawUnsafe("SELECT 1/0");
      }),
    ).rejects.toThrow();
    expect(await db.tier.count()).toBe(before);
    expect(watch.most()).toBe(1);
  });
});
