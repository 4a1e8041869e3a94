import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/**
 * How a test can see everything a database holds: a real `pg_dump`, or, when no compatible one
 * is installed, an SQL rendering of every row of every table (`reason` says why, for the test's
 * title: a fallback must never pass silently).
 */
export type DumpMethod =
  | { kind: "pg_dump"; binary: string; version: string; description: string }
  | { kind: "rows"; reason: string; description: string };

/**
 * A `pg_dump` able to dump the server at `url`: PG_DUMP when set, else the first on PATH. Its
 * major version must be at least the server's (an older pg_dump refuses a newer server, e.g.
 * a system pg_dump 15 and the embedded PostgreSQL 18).
 */
export async function chooseDumpMethod(url: string): Promise<DumpMethod> {
  const serverMajor = await serverMajorVersion(url);
  const candidates = process.env.PG_DUMP
    ? [process.env.PG_DUMP]
    : (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "pg_dump"));
  const seen: string[] = [];
  for (const binary of candidates.filter(isExecutable)) {
    const version = await pgDumpVersion(binary);
    if (!version) continue;
    if (Number(version.split(".")[0]) >= serverMajor) {
      return { kind: "pg_dump", binary, version, description: `a pg_dump (${version})` };
    }
    seen.push(version);
  }
  const versions = [...new Set(seen)]; // PATH often lists one binary twice (/bin and /usr/bin)
  const found =
    versions.length > 0 ? `only pg_dump ${versions.join(", ")}` : "no pg_dump on PATH or in PG_DUMP";
  const reason = `${found}, server is PostgreSQL ${serverMajor}`;
  return { kind: "rows", reason, description: `an SQL rendering of every row (fallback: ${reason})` };
}

/** The whole database as text, by the chosen method. */
export async function dumpDatabase(url: string, method: DumpMethod): Promise<string> {
  if (method.kind === "rows") return renderEveryRow(url);
  const { stdout } = await run(method.binary, ["--dbname", url, "--no-owner", "--no-privileges"], {
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout;
}

/** Every row of every table of every schema as text: what a data dump would contain. */
export async function renderEveryRow(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schemaname: string; tablename: string }>(
      `SELECT schemaname, tablename FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const parts: string[] = [];
    for (const { schemaname, tablename } of tables) {
      const table = `${client.escapeIdentifier(schemaname)}.${client.escapeIdentifier(tablename)}`;
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      parts.push(`-- ${schemaname}.${tablename}`, ...rows.map((r) => r.row));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

async function serverMajorVersion(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    return Math.floor(Number(rows[0]?.server_version_num) / 10_000);
  } finally {
    await client.end();
  }
}

async function pgDumpVersion(binary: string): Promise<string | null> {
  try {
    const { stdout } = await run(binary, ["--version"]);
    return /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null; // not a working pg_dump (e.g. a wrapper without any installed version)
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
