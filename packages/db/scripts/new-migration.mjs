#!/usr/bin/env node
// npm run db:migration -- NAME
// Writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes the schema
// of the last commit to the current prisma/schema.prisma. (`prisma migrate dev` needs a
// shadow database that the WebAssembly engine cannot manage; see packages/db/README.md.)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: npm run db:migration -- name_in_snake_case\n");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const databaseUrl = process.env.DATABASE_URL ?? embeddedDatabaseUrl();
if (!databaseUrl) {
  process.stderr.write("Prisma needs a reachable PostgreSQL: set DATABASE_URL, or run `npm start` first\n");
  process.exit(2);
}
const temp = mkdtempSync(path.join(os.tmpdir(), "dsc-migration-"));
try {
  const previous = path.join(temp, "previous.prisma");
  let from = ["--from-empty"];
  try {
    writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root }));
    from = ["--from-schema-datamodel", previous];
  } catch {
    // no committed schema yet: the first migration starts from nothing
  }
  const diff = spawnSync(
    process.execPath,
    [
      path.join(root, "packages/db/scripts/prisma.mjs"),
      "migrate",
      "diff",
      ...from,
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--script",
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: databaseUrl },
    },
  );
  if (diff.status !== 0) {
    process.stderr.write(diff.stderr);
    process.exit(1);
  }
  if (!/\b(CREATE|ALTER|DROP)\b/.test(diff.stdout)) {
    process.stderr.write("schema.prisma has no changes since the last commit: no migration written\n");
    process.exit(1);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(root, "prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), diff.stdout);
  process.stdout.write(
    `wrote ${path.relative(root, dir)}/migration.sql; review it, then commit it with the schema\n`,
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}

/** The embedded server that `npm start` runs, when it runs. */
function embeddedDatabaseUrl() {
  const dataDir = process.env.DATA_DIR ?? path.join(root, ".data");
  const state = path.join(dataDir, "postgres.json");
  const secret = path.join(dataDir, "secrets", "postgres-password");
  if (!existsSync(state) || !existsSync(secret)) return null;
  const { port } = JSON.parse(readFileSync(state, "utf8"));
  const password = encodeURIComponent(readFileSync(secret, "utf8").trim());
  return `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
}
