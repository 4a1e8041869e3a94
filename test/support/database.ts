import { randomBytes } from "node:crypto";
import { createDatabaseClient, type Database } from "@dsc/db";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { withDatabase } from "./global-setup.ts";

export interface TestDatabase {
  url: string;
  name: string;
  db: Database;
}

/**
 * A fresh, migrated database of this test file's own, dropped by the global teardown.
 * Call at the top level of a test file (it registers its own afterAll).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("databaseAdminUrl");
  const name = `dsc_t_${inject("testRunId")}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(inject("templateDatabase"))}`,
    );
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const db = createDatabaseClient(url, { maxConnections: 4 });
  afterAll(() => db.$disconnect());
  return { url, name, db };
}

/** A clock the test moves by hand. */
export function fakeClock(start = new Date("2026-01-15T12:00:00Z")) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(date: Date) {
      now = date.getTime();
    },
  };
}
