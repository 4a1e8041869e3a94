import { createDatabaseClient } from "./client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { applyMigrations } from "./migrations.ts";
import { seedReferenceData } from "./reference-data.ts";

export interface EnsureDatabaseOptions {
  /** An external PostgreSQL; when absent the embedded one under dataDir is used. */
  databaseUrl?: string | null;
  dataDir: string;
  log?: (message: string) => void;
}

export interface DatabaseHandle {
  url: string;
  /** The embedded server, or null when DATABASE_URL points elsewhere. */
  embedded: EmbeddedPostgres | null;
  /** Stops the embedded server if this process started it. */
  release(): Promise<void>;
}

/**
 * Makes the platform database ready: the embedded server started (or joined) when no URL
 * is given, migrations applied, reference data (tiers, default model) seeded.
 */
export async function ensureDatabase(options: EnsureDatabaseOptions): Promise<DatabaseHandle> {
  const log = options.log ?? (() => {});
  const embedded = options.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: options.dataDir, log });
  const url = options.databaseUrl ?? (embedded as EmbeddedPostgres).url;
  try {
    await applyMigrations(url, log);
    const db = createDatabaseClient(url, { maxConnections: 1 });
    try {
      await seedReferenceData(db);
    } finally {
      await db.$disconnect();
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return { url, embedded, release: async () => embedded?.stop() };
}
