import type { Clock, FileStorage, MasterKeyring, ResponseCache } from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";
import type { z } from "zod";

export interface JobDeps {
  /** master keys, for re-wrapping data keys; the compliance jobs fail without them */
  keyring?: MasterKeyring | null;
  /** the shared response cache (Redis), so erasure reaches cached answers */
  responseCache?: ResponseCache | null;
  /** the gateways' response-cache TTL (RESPONSE_CACHE_TTL_SECONDS), which an erasure waits out */
  responseCacheTtlMs: number;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** where uploaded files' bytes live; the file jobs need it */
  fileStorage?: FileStorage | null;
}

/** A job: what it is called, when it runs, what it accepts, and the core call it makes. */
export interface JobDefinition<Payload = unknown> {
  id: string;
  /** cron expression (UTC); absent for jobs that are only sent on demand */
  schedule?: string;
  description: string;
  payload: z.ZodType<Payload>;
  run(payload: Payload, deps: JobDeps): Promise<Record<string, unknown>>;
}
