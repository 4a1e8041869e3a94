export {
  connectionStringOf,
  createDatabaseClient,
  type Database,
  type DatabaseClientOptions,
  sqlPoolOf,
} from "./client.ts";
export { defaultDataDir, ensureDataDir, loadOrCreateSecretFile } from "./data-dir.ts";
export {
  createDatabaseIfMissing,
  EMBEDDED_DATABASE,
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from "./embedded-postgres.ts";
export { type DatabaseHandle, ensureDatabase } from "./ensure-database.ts";
export { databaseEnvSchema, EnvironmentError, parseEnvironment } from "./env.ts";
export * from "./generated/prisma/client.ts";
export { applyMigrations, listPendingMigrations, runPrisma, schemaPaths } from "./migrations.ts";
export { DEFAULT_MODEL_ID, SEED_TIERS, seedReferenceData } from "./reference-data.ts";
