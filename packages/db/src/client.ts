import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { withOneQueryAtATimeInTransactions } from "./one-query-at-a-time.ts";

export type Database = PrismaClient;

export interface DatabaseClientOptions {
  /** Connections this process may hold; the pool is per process. */
  maxConnections?: number;
}

/**
 * A Prisma client on the node-postgres driver adapter (no native query engine). Its pool is
 * ours, so that hot statements can skip Prisma's query compiler (sqlPoolOf); `$disconnect()`
 * ends it.
 */
export function createDatabaseClient(
  connectionString: string,
  options: DatabaseClientOptions = {},
): Database {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  const adapter = withOneQueryAtATimeInTransactions(new PrismaPg(pool, { disposeExternalPool: true }));
  const db = new PrismaClient({ adapter });
  connectionStrings.set(db, connectionString);
  pools.set(db, pool);
  return db;
}

const connectionStrings = new WeakMap<Database, string>();
const pools = new WeakMap<Database, pg.Pool>();

/**
 * The node-postgres pool under a client, for the few statements whose cost matters more than
 * Prisma's typing: batched inserts of thousands of rows a second, where Prisma spends
 * milliseconds of CPU on a statement's parameters (docs/benchmarks.md).
 */
export function sqlPoolOf(db: Database): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("this database client was not made by createDatabaseClient");
  return pool;
}

/**
 * The connection string a client was made with, for what needs a connection of its own
 * (LISTEN/NOTIFY) next to the client's pool.
 */
export function connectionStringOf(db: Database): string {
  const connectionString = connectionStrings.get(db);
  if (!connectionString) throw new Error("this database client was not made by createDatabaseClient");
  return connectionString;
}
