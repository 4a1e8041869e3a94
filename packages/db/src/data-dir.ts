import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Where the platform keeps its embedded database, files and generated secrets when
 * DATA_DIR is not set: `.data/` at the root of the repository the command runs in (so the
 * CLI, the apps started alone and `npm start` agree), else in the working directory.
 */
export function defaultDataDir(cwd: string = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && isWorkspaceRoot(manifest)) return path.join(dir, ".data");
    if (path.dirname(dir) === dir) return path.resolve(cwd, ".data");
  }
}

function isWorkspaceRoot(manifestPath: string): boolean {
  try {
    return Array.isArray(JSON.parse(readFileSync(manifestPath, "utf8")).workspaces);
  } catch {
    return false;
  }
}

/**
 * Reads a secret generated at first start, creating it (random, base64url, mode 0600) when
 * it does not exist. The file appears atomically (written aside, then hard-linked into
 * place), so processes starting together agree on one value and never read a partial one.
 */
export async function loadOrCreateSecretFile(dataDir: string, name: string, bytes = 32): Promise<string> {
  const dir = path.join(dataDir, "secrets");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await writeFile(draft, randomBytes(bytes).toString("base64url"), { mode: 0o600, flag: "wx" });
    try {
      await link(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(draft);
    }
  }
  await chmod(file, 0o600);
  const value = (await readFile(file, "utf8")).trim();
  if (value.length === 0) throw new Error(`secret file ${file} is empty; delete it to regenerate`);
  return value;
}
