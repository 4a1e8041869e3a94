import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Where the platform keeps its embedded database, files and generated secrets when
 * DATA_DIR is not set: `.data/` at the root of the repository the command runs in (so the
 * CLI, the apps started alone and `npm start` agree), else in the working directory.
 */
export function defaultDataDir(cwd: string = process.cwd()): string {
  // turbopackIgnore: a folder found at run time, which the dashboard's build must not trace
  // (it would take the whole project into its output)
  for (let dir = path.resolve(/* turbopackIgnore: true */ cwd); ; dir = path.dirname(dir)) {
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
 * Mode of the data folder and of the parents this process creates for it: others may pass
 * through (x) but not list (r). As root, PostgreSQL runs as the `postgres` user and must
 * traverse them to reach its cluster in `postgres/`; everything secret below has its own,
 * private mode (secrets 0700/0600, the cluster 0700 owned by postgres).
 */
export const DATA_DIR_MODE = 0o711;

/**
 * Creates the data folder and its missing parents with DATA_DIR_MODE. A recursive mkdir
 * gives every folder it makes the mode asked for the deepest one, so the private modes of
 * `secrets/` must never be how the data folder itself comes to exist. The mode is set
 * explicitly (the umask would narrow it), and only on folders made here: existing folders,
 * the user's, keep theirs.
 */
export async function ensureDataDir(dataDir: string): Promise<void> {
  const target = path.resolve(dataDir);
  const first = await mkdir(target, { recursive: true, mode: DATA_DIR_MODE });
  if (first === undefined) return;
  for (let dir = target; ; dir = path.dirname(dir)) {
    await chmod(dir, DATA_DIR_MODE);
    if (dir === first || path.dirname(dir) === dir) return;
  }
}

/** The folders from the root down to `dir` that other users may not pass through (no o+x). */
export async function foldersClosedToOthers(dir: string): Promise<string[]> {
  const closed: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) closed.unshift(current);
    if (path.dirname(current) === current) return closed;
  }
}

/**
 * Reads a secret generated at first start, creating it (random, base64url, mode 0600) when
 * it does not exist. The file appears atomically (written aside, then hard-linked into
 * place), so processes starting together agree on one value and never read a partial one.
 */
export async function loadOrCreateSecretFile(dataDir: string, name: string, bytes = 32): Promise<string> {
  await ensureDataDir(dataDir);
  const dir = path.join(dataDir, "secrets");
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
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
