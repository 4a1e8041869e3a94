import {
  createPostgresNotifications,
  createPostgresRevocationBus,
  createRedisRevocationBus,
  type RevocationBus,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { startTestGateway } from "./start-test-gateway.ts";

/** What carries revocations between processes: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub. */
export type RevocationTransport = { postgres: string } | { redis: string };

/** A revocation bus on connections of its own, as each process of the platform has. */
function busOf(transport: RevocationTransport): { bus: RevocationBus; close(): Promise<void> } {
  if ("redis" in transport) {
    const bus = createRedisRevocationBus(transport.redis);
    return { bus, close: () => bus.close() };
  }
  const notifications = createPostgresNotifications(transport.postgres);
  return { bus: createPostgresRevocationBus(notifications), close: () => notifications.close() };
}

/**
 * Two gateway instances and the revocation bus of a third process (the CLI, the dashboard).
 * The instances cache credentials for a minute, so only a revocation message can make them
 * forget one within the second that `statusesWithin` waits.
 */
export async function startTwoInstances(db: Database, transport: RevocationTransport) {
  const [first, second, third] = [busOf(transport), busOf(transport), busOf(transport)];
  const a = await startTestGateway({ db, revocations: first.bus, cacheTtlMs: 60_000 });
  const b = await startTestGateway({ db, revocations: second.bus, cacheTtlMs: 60_000 });
  return {
    a,
    b,
    revoker: third.bus,
    async close() {
      await a.close();
      await b.close();
      for (const { close } of [first, second, third]) await close();
    },
  };
}

/** Asks each URL until all answer 401 or `ms` have passed; the last statuses seen. */
export async function statusesWithin(
  urls: string[],
  get: (url: string) => Promise<Response>,
  ms = 1_000,
): Promise<number[]> {
  const started = Date.now();
  let statuses: number[] = [];
  while (Date.now() - started < ms) {
    statuses = await Promise.all(urls.map(async (url) => (await get(url)).status));
    if (statuses.every((status) => status === 401)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return statuses;
}
