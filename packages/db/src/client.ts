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
  return new PrismaClient({ adapter });
}
