import { randomBytes } from "node:crypto";
import { ensureDatabase } from "@dsc/db";
import pg from "pg";

export interface ScratchDatabase {
  url: string;
  /** an embedded PostgreSQL started for the run, not the server of DATABASE_URL */
  isEmbedded: boolean;
  /** where it runs, for the report */
  origin: string;
  drop(): Promise<void>;
}

/**
 * A migrated database for one benchmark run: a fresh database on the server of DATABASE_URL
 * (dropped afterwards), or without it an embedded PostgreSQL in `dataDir`. With `keepAs`, on
 * DATABASE_URL's server the database of that name, made if absent and never dropped (an
 * embedded one is kept by keeping `dataDir`, which is the caller's).
 */
export async function scratchDatabase(
  dataDir: string,
  log: (message: string) => void,
  options: { keepAs?: string } = {},
): Promise<ScratchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log("starting an embedded PostgreSQL (set DATABASE_URL to use yours)");
    const handle = await ensureDatabase({ dataDir });
    return { url: handle.url, isEmbedded: true, origin: "embedded PostgreSQL", drop: () => handle.release() };
  }
  const name = options.keepAs ?? `dsc_bench_${randomBytes(4).toString("hex")}`;
  const onServer = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement.replace("$name", client.escapeIdentifier(name)));
    } finally {
      await client.end();
    }
  };
  await onServer("CREATE DATABASE $name").catch((error: { code?: string }) => {
    // 42P04: duplicate_database, which only a kept database may be
    if (!options.keepAs || error.code !== "42P04") throw error;
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await ensureDatabase({ databaseUrl: url.toString(), dataDir });
  return {
    url: url.toString(),
    isEmbedded: false,
    origin: "PostgreSQL of DATABASE_URL",
    drop: options.keepAs ? async () => {} : () => onServer("DROP DATABASE IF EXISTS $name WITH (FORCE)"),
  };
}
