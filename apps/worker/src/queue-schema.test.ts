import { systemClock } from "@dsc/core";
import pg from "pg";
import { getMigrationPlans } from "pg-boss";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { JOBS } from "./jobs/index.ts";
import {
  OLDEST_MIGRATABLE_QUEUE_SCHEMA,
  QUEUE_SCHEMA,
  retireUnmigratableQueueSchema,
} from "./queue-schema.ts";
import { startWorker } from "./start-worker.ts";

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** What pg-boss 10 leaves in a database, as far as its version table and a job of its history. */
async function makePgBoss10Schema(url: string) {
  await query(
    url,
    `CREATE SCHEMA pgboss;
     CREATE TABLE pgboss.version (version int PRIMARY KEY, maintained_on timestamptz, cron_on timestamptz);
     INSERT INTO pgboss.version (version) VALUES (24);
     CREATE TABLE pgboss.job (id uuid PRIMARY KEY, name text NOT NULL, state text NOT NULL);
     INSERT INTO pgboss.job VALUES ('00000000-0000-4000-8000-000000000001', 'retention.purge-expired-chat-logs', 'completed');`,
  );
}

/** What a worker needs besides its database URL and jobs; no response cache to wait out. */
const depsOf = (t: TestDatabase) => ({
  db: t.db,
  clock: systemClock,
  logger: pino({ level: "silent" }),
  responseCacheTtlMs: 0,
});

describe("the worker's queue schema", () => {
  it("is migratable by the installed pg-boss from the oldest version we keep, not from pg-boss 10's", () => {
    expect(() => getMigrationPlans(QUEUE_SCHEMA, OLDEST_MIGRATABLE_QUEUE_SCHEMA - 1)).toThrow(
      /oldest supported starting version is 25/,
    );
    expect(getMigrationPlans(QUEUE_SCHEMA, OLDEST_MIGRATABLE_QUEUE_SCHEMA)).toContain("version");
  });

  it("a worker starts on a database whose queue schema pg-boss 10 made, keeping the old one aside", async () => {
    const t = await createTestDatabase();
    await makePgBoss10Schema(t.url);
    const worker = await startWorker({ databaseUrl: t.url, jobs: JOBS, ...depsOf(t) });
    try {
      expect((await worker.boss.getSchedules()).map((s) => s.name)).toContain(
        "retention.purge-expired-chat-logs",
      );
      const [current] = await query(t.url, "SELECT version FROM pgboss.version");
      expect(Number(current?.version)).toBeGreaterThanOrEqual(OLDEST_MIGRATABLE_QUEUE_SCHEMA);
      const retired = await query(
        t.url,
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss\\_v24\\_retired\\_%'",
      );
      expect(retired).toHaveLength(1);
      const history = await query(t.url, `SELECT name FROM "${retired[0]?.nspname}".job`);
      expect(history).toEqual([{ name: "retention.purge-expired-chat-logs" }]);
    } finally {
      await worker.stop();
    }
  });

  it("leaves a current queue schema, and a database without one, alone", async () => {
    const t = await createTestDatabase();
    expect(await retireUnmigratableQueueSchema({ databaseUrl: t.url })).toBeNull();
    const worker = await startWorker({ databaseUrl: t.url, jobs: [], ...depsOf(t) });
    await worker.stop();
    expect(await retireUnmigratableQueueSchema({ databaseUrl: t.url })).toBeNull();
    const schemas = await query(t.url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss%'");
    expect(schemas).toEqual([{ nspname: "pgboss" }]);
  });
});
