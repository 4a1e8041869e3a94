import type {
  Clock,
  FileStorage,
  MasterKeyring,
  ResponseCache,
  TransactionSql,
  WebhookAddressPolicy,
} from "@dsc/core";
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
  /** WEBHOOK_ALLOW_PRIVATE and the request's limit; the webhook jobs need them */
  webhooks?: { addressPolicy: WebhookAddressPolicy; timeoutMs?: number } | null;
  /** pg-boss itself, for jobs that hand work to another queue (inside their own transaction) */
  queue?: JobQueue | null;
}

/**
 * What a job may do with the queue: send a job, optionally on the caller's transaction and in a
 * group (whose jobs the queue's `groupConcurrency` runs only so many of at once).
 */
export interface JobQueue {
  send(
    name: string,
    data: object,
    options: { db?: TransactionSql; group?: { id: string } },
  ): Promise<string | null>;
}

/**
 * How a worker process takes a queue's jobs (pg-boss `work` options); without it, one job at a
 * time, polled every 2 seconds, which suits the scheduled jobs.
 */
export interface JobWorkOptions {
  /** jobs of this queue run at once in one worker process */
  localConcurrency?: number;
  /** jobs of one group (`send`'s `group.id`) running at once in this process */
  localGroupConcurrency?: number;
  /** how often an idle worker asks for jobs, in seconds (at least 0.5) */
  pollingIntervalSeconds?: number;
}

/** A queue's retry policy (pg-boss queue options); without it, pg-boss's defaults. */
export interface JobQueuePolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
  expireInSeconds?: number;
  /** the queue that receives a job out of retries; it must be listed before this one */
  deadLetter?: string;
}

/** A job: what it is called, when it runs, what it accepts, and the core call it makes. */
export interface JobDefinition<Payload = unknown> {
  id: string;
  /** cron expression (UTC); absent for jobs that are only sent on demand */
  schedule?: string;
  description: string;
  payload: z.ZodType<Payload>;
  queue?: JobQueuePolicy;
  work?: JobWorkOptions;
  /** `attempt.retryCount`: 0 on the first run, then one more on each retry */
  run(payload: Payload, deps: JobDeps, attempt?: { retryCount: number }): Promise<Record<string, unknown>>;
}
