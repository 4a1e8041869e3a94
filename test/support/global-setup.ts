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
 * One PostgreSQL for the run: the one DATABASE_URL names, else an embedded server in a
 * temporary folder. Migrations are applied once to a template database; every test file
 * clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let embedded: EmbeddedPostgres | null = null;
  let tempDir: string | null = null;
  let forgetExitStop = () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), "dsc-test-"));
    await chmod(tempDir, 0o755); // PostgreSQL runs as another user when tests run as root
    embedded = await startEmbeddedPostgres({ dataDir: tempDir });
    forgetExitStop = stopWhenTheRunnerExits(embedded, tempDir);
    adminUrl = embedded.urlFor("postgres");
  }
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
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
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
