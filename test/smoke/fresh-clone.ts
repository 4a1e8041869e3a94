import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, readlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface FreshClone {
  /** the temp folder holding the clone (and anything else the test puts beside it) */
  base: string;
  /** the clone's root */
  dir: string;
}

/**
 * A `git clone` of what is committed in `repo` (uncommitted changes are not in it), in a new
 * temp folder. The folder holding the clone is made 0755, as a workspace folder usually is: as
 * root, PostgreSQL's user must pass through it, and whether it may is the user's setting, not
 * the platform's (a private parent is refused with its name; the embedded-postgres tests cover
 * that). Everything the platform creates itself — `.data/` above all — starts as a fresh clone
 * has it: absent.
 */
export async function cloneRepository(repo: string): Promise<FreshClone> {
  const base = await mkdtemp(path.join(os.tmpdir(), "dsc-smoke-"));
  await chmod(base, 0o755);
  const dir = path.join(base, "repo");
  await run("git", ["clone", "--quiet", repo, dir]);
  return { base, dir };
}

/**
 * The clone's dependencies without `npm install`: the repository's installed node_modules,
 * hard-linked where the file system allows (else copied), with the workspace links pointing
 * into the clone as npm makes them (relative). Not symlinked: Next.js refuses a `next` package
 * outside the project's root. What `npm install` does beyond this — its postinstall generates
 * the Prisma client — `npm start`'s build does too (turbo's `@dsc/db#generate`), and neither
 * touches what a first start can fail on (the data folder, the signals).
 */
export async function reuseInstalledDependencies(repo: string, clone: string): Promise<void> {
  const folders = ["node_modules", ...(await workspaceNodeModules(repo))];
  for (const folder of folders) {
    const source = path.join(repo, folder);
    const target = path.join(clone, folder);
    await mkdir(target, { recursive: true });
    for (const entry of await readdir(source)) {
      // caches of the repository's own tools, which a fresh install would not have
      if (entry.startsWith(".") && entry !== ".bin") continue;
      await linkTree(path.join(source, entry), path.join(target, entry));
    }
  }
}

async function workspaceNodeModules(repo: string): Promise<string[]> {
  const { workspaces } = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const found: string[] = [];
  for (const pattern of workspaces) {
    const parent = pattern.replace(/\/\*$/, "");
    for (const name of await readdir(path.join(repo, parent))) {
      const folder = path.join(parent, name, "node_modules");
      if (existsSync(path.join(repo, folder))) found.push(folder);
    }
  }
  return found;
}

/** Hard links of a tree, symlinks kept as they are (relative ones then point into the clone). */
async function linkTree(source: string, target: string): Promise<void> {
  try {
    await run("cp", ["-al", source, target]);
  } catch {
    // another file system: copy instead
    await cp(source, target, { recursive: true, verbatimSymlinks: true });
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  command: string;
  cwd: string;
}

/**
 * Processes whose working directory or command line lies under `dir` (Linux /proc): what
 * `npm start` in a clone has left running. Zombies and processes that end while being read
 * are skipped.
 */
export async function processesUnder(dir: string): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ").trim();
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
      if (!command.includes(dir) && cwd !== dir && !cwd.startsWith(`${dir}${path.sep}`)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      found.push({ pid, ppid, command, cwd });
    } catch {
      // ended meanwhile
    }
  }
  return found;
}
