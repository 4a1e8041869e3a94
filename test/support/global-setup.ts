import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  applyMigrations,
  createDatabaseClient,
  createDatabaseIfMissing,
  type EmbeddedPostgres,
  seedReferenceData,
  startEmbeddedPostgres,
} from "@dsc/db";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { stopWhenTheRunnerExits } from "./stop-at-exit.ts";

/**
 * One PostgreSQL for the run: the one DATABASE_URL names, else an embedded server in the run's
 * folder. Migrations are applied once to a template database; every test file clones it
 * (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 *
 * The run's folder also becomes the temporary folder of the test files and of the processes
 * they start (TMPDIR, which `os.tmpdir()` reads), so that removing it at the end, or at the
 * runner's exit when Ctrl-C skips the teardown, leaves none of their folders behind.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const runFolder = await mkdtemp(path.join(os.tmpdir(), "dsc-test-"));
  await chmod(runFolder, 0o755); // PostgreSQL runs as another user when tests run as root
  let embedded: EmbeddedPostgres | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: runFolder });
    adminUrl = embedded.urlFor("postgres");
  }
  const forgetExitStop = stopWhenTheRunnerExits(embedded, runFolder);
  process.env.TMPDIR = runFolder;
  const template = `dsc_tmpl_${runId}`;
  const templateUrl = withDatabase(adminUrl, template);
  await createDatabaseIfMissing(adminUrl, template);
  await applyMigrations(templateUrl);
  const db = createDatabaseClient(templateUrl, { maxConnections: 1 });
  await seedReferenceData(db);
  await db.$disconnect();

  project.provide("databaseAdminUrl", adminUrl);
  project.provide("templateDatabase", template);
  project.provide("testRunId", runId);
  project.provide("redisUrl", process.env.REDIS_URL ?? "");

  return async () => {
    await dropRunDatabases(adminUrl, runId);
    forgetExitStop();
    await embedded?.stop();
    await rm(runFolder, { recursive: true, force: true, maxRetries: 3 });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function dropRunDatabases(adminUrl: string, runId: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`%${runId}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
    testRunId: string;
    redisUrl: string;
  }
}
