import pg from "pg";

/** The PostgreSQL schema pg-boss keeps the worker's queues, schedules and job history in. */
export const QUEUE_SCHEMA = "pgboss";

/**
 * The oldest version of its schema the installed pg-boss migrates from. pg-boss 11 and later
 * dropped the migrations from pg-boss 10's schema (version 24), and their start() refuses it
 * (queue-schema.test.ts checks this against the installed pg-boss).
 */
export const OLDEST_MIGRATABLE_QUEUE_SCHEMA = 25;

/**
 * Moves a queue schema that the installed pg-boss cannot migrate out of its way (renamed to
 * `pgboss_v24_retired_<time>`, kept for whoever wants its history), so that pg-boss creates a
 * new one. Nothing in it must survive: every schedule is registered again at each start, and
 * every job is idempotent and re-reads what it works on. Workers starting at once take turns
 * under an advisory lock, so one of them renames and the others find the new schema or none.
 * Returns the retired schema's new name, or null when there was nothing to retire.
 */
export async function retireUnmigratableQueueSchema(options: {
  databaseUrl: string;
  schema?: string;
  now?: Date;
}): Promise<string | null> {
  const schema = options.schema ?? QUEUE_SCHEMA;
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`dsc.worker.queue-schema.${schema}`]);
    const version = await queueSchemaVersion(client, schema);
    if (version === null || version >= OLDEST_MIGRATABLE_QUEUE_SCHEMA) {
      await client.query("COMMIT");
      return null;
    }
    const stamp = (options.now ?? new Date()).toISOString().replace(/\D/g, "").slice(0, 14);
    const retired = `${schema}_v${version}_retired_${stamp}`;
    await client.query(
      `ALTER SCHEMA ${client.escapeIdentifier(schema)} RENAME TO ${client.escapeIdentifier(retired)}`,
    );
    await client.query("COMMIT");
    return retired;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** The version pg-boss recorded in its schema, or null when there is no such schema. */
async function queueSchemaVersion(client: pg.Client, schema: string): Promise<number | null> {
  const { rows } = await client.query<{ table: string | null }>(
    "SELECT to_regclass(format('%I.version', $1::text))::text AS table",
    [schema],
  );
  if (!rows[0]?.table) return null;
  const version = await client.query<{ version: number }>(
    `SELECT version FROM ${client.escapeIdentifier(schema)}.version LIMIT 1`,
  );
  return version.rows[0] ? Number(version.rows[0].version) : null;
}
