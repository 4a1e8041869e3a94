import { rmSync } from "node:fs";
import type { EmbeddedPostgres } from "@dsc/db";

/**
 * Stops the run's embedded PostgreSQL (when it has one) and removes the run's folder however the
 * test runner ends. Vitest answers Ctrl-C (SIGINT) and SIGTERM with `process.exit` without
 * running the global teardown, which left the server running and its folder behind; a closed
 * terminal (SIGHUP) ended the runner without even an 'exit' event. Returns the function that
 * unregisters it, for the teardown, which stops the server the orderly way.
 */
export function stopWhenTheRunnerExits(embedded: EmbeddedPostgres | null, folder: string): () => void {
  const stopAtOnce = () => {
    embedded?.stopAtOnce();
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  };
  // 128 + SIGHUP's number, as a shell reports a process that signal ended
  const exitOnHangUp = () => process.exit(129);
  process.once("exit", stopAtOnce);
  process.once("SIGHUP", exitOnHangUp);
  return () => {
    process.off("exit", stopAtOnce);
    process.off("SIGHUP", exitOnHangUp);
  };
}
