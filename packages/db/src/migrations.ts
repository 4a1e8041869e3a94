import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";

/**
 * Paths of the schema files. Resolved through the package, not this file's URL, because the
 * apps bundle this module into their own dist/.
 */
export function schemaPaths() {
  // turbopackIgnore: the dashboard's bundler would otherwise turn this into a module id
  const packageDir = path.dirname(
    createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ "@dsc/db/package.json"),
  );
  const root = path.resolve(packageDir, "../..");
  return {
    root,
    schema: path.join(root, "prisma", "schema.prisma"),
    migrations: path.join(root, "prisma", "migrations"),
    prismaCli: path.join(packageDir, "scripts", "prisma.mjs"),
  };
}

/** Migration folders not yet applied to the database. */
export async function listPendingMigrations(databaseUrl: string): Promise<string[]> {
  // turbopackIgnore: read at run time, not a file for the dashboard's build to trace
  const entries = await readdir(/* turbopackIgnore: true */ schemaPaths().migrations, {
    withFileTypes: true,
  });
  const all = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    return all.filter((name) => !applied.has(name));
  } catch (error) {
    if ((error as { code?: string }).code === "42P01") return all; // no migrations table yet
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations with `prisma migrate deploy`. Skips the Prisma CLI when nothing
 * is pending, which keeps restarts fast.
 */
export async function applyMigrations(
  databaseUrl: string,
  log: (message: string) => void = () => {},
): Promise<string[]> {
  const pending = await listPendingMigrations(databaseUrl);
  if (pending.length === 0) return [];
  log(`applying ${pending.length} migration(s): ${pending.join(", ")}`);
  await runPrisma(["migrate", "deploy"], databaseUrl);
  return pending;
}

/**
 * Runs the Prisma CLI against one database and resolves with its standard output; rejects
 * with everything it printed when it fails.
 */
export function runPrisma(args: string[], databaseUrl: string): Promise<string> {
  const { prismaCli, root } = schemaPaths();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`prisma ${args[0]} failed (exit ${code}):\n${`${stdout}\n${stderr}`.trim()}`));
    });
  });
}
