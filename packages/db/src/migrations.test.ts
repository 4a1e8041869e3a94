import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { withDatabase } from "../../../test/support/global-setup.ts";
import { createDatabaseIfMissing } from "./embedded-postgres.ts";
import { listPendingMigrations, runPrisma, schemaPaths } from "./migrations.ts";

/** Everything about the public schema that a migration can change, in a stable order. */
async function describeSchema(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const skip = "_prisma_migrations";
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
              character_maximum_length, numeric_precision, numeric_scale
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> $1
        ORDER BY table_name, column_name`,
      [skip],
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> $1 ORDER BY indexname`,
      [skip],
    );
    // CHECK constraints apart: schema.prisma cannot describe them, so migrations add them by hand
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> $1 AND contype <> 'c'
        ORDER BY 1, 2`,
      [skip],
    );
    const checks = await client.query(
      `SELECT conrelid::regclass::text AS table_name, conname FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND contype = 'c' ORDER BY 1, 2`,
    );
    const enums = await client.query(
      `SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
        ORDER BY t.typname, e.enumsortorder`,
    );
    return {
      columns: columns.rows,
      indexes: indexes.rows,
      constraints: constraints.rows,
      enums: enums.rows,
      checks: checks.rows.map((row) => `${row.table_name}.${row.conname}`),
    };
  } finally {
    await client.end();
  }
}

const CHECKS_ADDED_BY_HAND = [
  "model.model_not_own_alias_check",
  "model.model_not_own_fallback_check",
  "model.model_not_own_replacement_check",
  "model_deployment.model_deployment_limits_check",
  "model_deployment.model_deployment_timeouts_check",
  "model_deployment.model_deployment_weight_check",
];

let migrated: TestDatabase;
let fromSchemaUrl: string;

beforeAll(async () => {
  migrated = await createTestDatabase();
  // A second database built straight from schema.prisma, without the migration history.
  const admin = inject("databaseAdminUrl");
  const name = `dsc_schema_${inject("testRunId")}`;
  await createDatabaseIfMissing(admin, name);
  fromSchemaUrl = withDatabase(admin, name);
  const sql = await runPrisma(
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPaths().schema, "--script"],
    fromSchemaUrl,
  );
  const client = new pg.Client({ connectionString: fromSchemaUrl });
  await client.connect();
  await client.query(sql);
  await client.end();
});

describe("migrations", () => {
  it("produce exactly the schema that schema.prisma describes", async () => {
    const { checks, ...fromMigrations } = await describeSchema(migrated.url);
    const { checks: none, ...fromSchema } = await describeSchema(fromSchemaUrl);
    expect(fromMigrations.columns.length).toBeGreaterThan(100);
    expect(fromMigrations).toEqual(fromSchema);
    expect(none).toEqual([]);
    // the checks the migrations add by hand, which schema.prisma cannot describe: a new one is
    // named here on purpose, and one lost by a later migration is noticed
    expect(checks).toEqual(CHECKS_ADDED_BY_HAND);
  });

  it("notice a difference (the comparison is not blind)", async () => {
    const client = new pg.Client({ connectionString: migrated.url });
    await client.connect();
    await client.query("CREATE TABLE drift_probe (id int)");
    const withDrift = await describeSchema(migrated.url);
    await client.query("DROP TABLE drift_probe");
    await client.end();
    expect(withDrift).not.toEqual(await describeSchema(fromSchemaUrl));
  });

  it("have all been applied to a migrated database", async () => {
    expect(await listPendingMigrations(migrated.url)).toEqual([]);
    expect(await listPendingMigrations(fromSchemaUrl)).not.toEqual([]);
  });

  it("index the hot paths", async () => {
    const { indexes } = await describeSchema(migrated.url);
    const names = indexes.map((row) => row.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        "api_key_hash_key",
        "usage_event_organization_id_created_at_idx",
        "chat_log_organization_id_end_user_id_created_at_idx",
        "chat_log_expires_at_idx",
        "file_expires_at_idx",
        "deletion_request_status_due_at_idx",
      ]),
    );
  });
});

describe("a migration's text", () => {
  it("reaches PostgreSQL whole: a ; inside its comments and strings splits nothing", async () => {
    const client = new pg.Client({ connectionString: migrated.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT col_description('"user"'::regclass, attnum) AS comment
           FROM pg_attribute WHERE attrelid = '"user"'::regclass AND attname = 'session_epoch'`,
      );
      // migration user_session_epoch: a comment line and a string, each with a "; " inside
      expect(rows[0]?.comment).toBe("raised by sign out everywhere; then every session ends");
    } finally {
      await client.end();
    }
  });
});
