import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Database = PrismaClient;

export interface DatabaseClientOptions {
  /** Connections this process may hold; the pool is per process. */
  maxConnections?: number;
}

/** A Prisma client on the node-postgres driver adapter (no native query engine). */
export function createDatabaseClient(
  connectionString: string,
  options: DatabaseClientOptions = {},
): Database {
  const adapter = new PrismaPg({ connectionString, max: options.maxConnections ?? 10 });
  const db = new PrismaClient({ adapter });
  connectionStrings.set(db, connectionString);
  return db;
}

const connectionStrings = new WeakMap<Database, string>();

/**
 * The connection string a client was made with, for what needs a connection of its own
 * (LISTEN/NOTIFY) next to the client's pool.
 */
export function connectionStringOf(db: Database): string {
  const connectionString = connectionStrings.get(db);
  if (!connectionString) throw new Error("this database client was not made by createDatabaseClient");
  return connectionString;
}
