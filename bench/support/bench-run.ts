import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type ScratchDatabase, scratchDatabase } from "./scratch-database.ts";

/** What a benchmark's run holds: its scratch folder, and what it started, to be stopped again. */
export interface BenchRun {
  dataDir: string;
  /** registers what undoes a step; every one runs, in reverse, however the run ends */
  onCleanup(cleanup: () => Promise<unknown>): void;
  /** a migrated scratch database (scratch-database.ts), dropped when the run ends */
  database(): Promise<ScratchDatabase>;
}

/**
 * Runs a benchmark's `body` in a scratch folder of its own (readable by the embedded
 * PostgreSQL, which runs as another user when the benchmark runs as root), then undoes
 * everything the body registered, last first, logging a cleanup that fails instead of throwing.
 */
export async function benchRun(
  name: string,
  log: (message: string) => void,
  body: (run: BenchRun) => Promise<void>,
): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `dsc-bench-${name}-`));
  const cleanups: (() => Promise<unknown>)[] = [async () => rm(dataDir, { recursive: true, force: true })];
  const run: BenchRun = {
    dataDir,
    onCleanup: (cleanup) => cleanups.push(cleanup),
    async database() {
      const database = await scratchDatabase(dataDir, log);
      cleanups.push(database.drop);
      return database;
    },
  };
  try {
    await chmod(dataDir, 0o755);
    await body(run);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    }
  }
}
