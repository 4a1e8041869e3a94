import {
  type Clock,
  createRevocationPublisher,
  loadApiKeyPepper,
  type RevocationBus,
  systemClock,
} from "@dsc/core";
import { createDatabaseClient, type Database, type DatabaseHandle, ensureDatabase } from "@dsc/db";
import type { CliEnv } from "./env.ts";

export interface Platform {
  db: Database;
  clock: Clock;
  pepper: string;
  /** tells running gateways about revoked credentials; connects on first use */
  revocations: RevocationBus;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/**
 * Connects to the platform database: DATABASE_URL, else the embedded server that `npm start`
 * runs, else an embedded server started for this command and stopped after it.
 */
export async function openPlatform(env: CliEnv, log: (message: string) => void): Promise<Platform> {
  const database = await ensureDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, log });
  try {
    const pepper = await loadApiKeyPepper({
      configured: env.API_KEY_PEPPER,
      dataDir: env.DATA_DIR,
      isProduction: env.NODE_ENV === "production",
    });
    const db = createDatabaseClient(database.url, { maxConnections: 2 });
    const revocations = createRevocationPublisher({ redisUrl: env.REDIS_URL, databaseUrl: database.url });
    return {
      db,
      clock: systemClock,
      pepper,
      revocations,
      database,
      async close() {
        await revocations.close();
        await db.$disconnect();
        await database.release();
      },
    };
  } catch (error) {
    await database.release();
    throw error;
  }
}
