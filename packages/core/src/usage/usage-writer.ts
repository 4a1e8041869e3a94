import type { Database } from "@dsc/db";
import { isRefusedRecord } from "../errors/refused-record.ts";
import { queuedTraces, withRootSpan } from "../tracing/spans.ts";
import { deadLetterUsage } from "./dead-letter-usage.ts";
import { insertUsageEvents } from "./insert-usage-events.ts";

/** One /v1 call as it is metered; no content. */
export interface UsageRecord {
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  oauthClientId: string | null;
  modelId: string | null;
  /** the route, e.g. "/v1/chat/completions" */
  endpoint: string;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
  endUserId: string | null;
  createdAt: Date;
}

export interface UsageWriterStats {
  /** rows inserted */
  written: number;
  /** records waiting for the next flush */
  pending: number;
  /** flushes that failed (their records are kept and retried) */
  failedFlushes: number;
  /** records given up: over the buffer bound while the database was failing, or after close */
  dropped: number;
  /** records the database refused, kept in usage_dead_letter instead */
  deadLettered: number;
}

export interface UsageWriter {
  /** Queues a record; never waits and never throws. */
  record(usage: UsageRecord): void;
  /** Writes what is queued now; resolves when it is written (or the attempt failed). */
  flush(): Promise<void>;
  /** Resolves when no flush is running (tests and benchmarks wait on it). */
  whenIdle(): Promise<void>;
  /** Stops the timer and writes everything queued; later records are dropped. */
  close(): Promise<void>;
  readonly stats: UsageWriterStats;
}

export interface UsageWriterOptions {
  db: Database;
  /** a flush starts as soon as this many records wait (default 500) */
  batchSize?: number;
  /** and at least this often while any wait (default 1 s) */
  flushIntervalMs?: number;
  /** most records kept while the database fails; the oldest go first (default 100,000) */
  maxPending?: number;
  /** told about failed flushes */
  onError?: (error: unknown, records: number) => void;
  /** how a batch reaches the database (default insertUsageEvents; tests wrap it to fail) */
  insert?: (db: Database, records: readonly UsageRecord[]) => Promise<void>;
  /** told about each record the database refused, once it is kept in usage_dead_letter */
  onDeadLetter?: (error: unknown, record: UsageRecord) => void;
}

/**
 * Batches UsageEvent inserts off the request path: records queue in memory and go to the
 * database with one INSERT per batch, when a batch is full or on the interval, one
 * flush at a time. A failed batch stays queued for the next flush. A batch the database
 * refuses for its data is written row by row: the rows it refuses go to usage_dead_letter and
 * the others are written, so that one bad row never holds the queue. `close()` (on SIGTERM)
 * writes everything that was accepted.
 */
export function createUsageWriter(options: UsageWriterOptions): UsageWriter {
  const batchSize = options.batchSize ?? 500;
  const maxPending = options.maxPending ?? 100_000;
  const insert = options.insert ?? insertUsageEvents;
  const stats: UsageWriterStats = { written: 0, pending: 0, failedFlushes: 0, dropped: 0, deadLettered: 0 };
  let queue: UsageRecord[] = [];
  const traces = queuedTraces<UsageRecord>("usage record queued");
  let running: Promise<void> | null = null;
  let isClosed = false;

  const timer = setInterval(() => {
    if (queue.length > 0) void flush();
  }, options.flushIntervalMs ?? 1_000);
  timer.unref();

  async function writeBatches(): Promise<boolean> {
    // what is queued now, and full batches; records that arrive while this writes wait for the
    // next tick rather than being chased in batches of a few (each insert has a fixed cost)
    let due = queue.length;
    while (due > 0 || queue.length >= batchSize) {
      const batch = queue.slice(0, batchSize);
      // a trace of its own per batch: the batch serves many requests, none of them waits for
      // it; its links lead to them
      const done = await withRootSpan(
        "write usage events",
        { "dsc.batch.rows": batch.length },
        async (span) => {
          const written = await writeBatch(batch);
          span.setAttribute("dsc.batch.done", written);
          return written;
        },
        traces.linksOf(batch),
      );
      queue = queue.slice(done);
      due = Math.max(0, due - done);
      stats.pending = queue.length;
      if (done < batch.length) return false;
    }
    return true;
  }

  function failed(error: unknown, records: number) {
    stats.failedFlushes += 1;
    options.onError?.(error, records);
  }

  /** Writes a batch; answers how many of its records, from the first, are done with. */
  async function writeBatch(batch: UsageRecord[]): Promise<number> {
    try {
      await insert(options.db, batch);
      stats.written += batch.length;
      return batch.length;
    } catch (error) {
      if (!isRefusedRecord(error)) {
        failed(error, batch.length);
        return 0;
      }
    }
    // one refused row fails the whole statement: one at a time finds it
    for (const [index, record] of batch.entries()) {
      try {
        await insert(options.db, [record]);
        stats.written += 1;
      } catch (error) {
        if (!isRefusedRecord(error)) {
          failed(error, batch.length - index);
          return index;
        }
        try {
          await deadLetterUsage(options.db, record, error);
        } catch (deadLetterError) {
          failed(deadLetterError, batch.length - index);
          return index;
        }
        stats.deadLettered += 1;
        options.onDeadLetter?.(error, record);
      }
    }
    return batch.length;
  }

  function flush(): Promise<void> {
    // one flush at a time; a flush asked for meanwhile runs after it, for what came since
    const previous = running ?? Promise.resolve();
    const next = previous.then(async () => {
      await writeBatches();
    });
    running = next;
    void next.finally(() => {
      if (running === next) running = null;
    });
    return next;
  }

  return {
    stats,
    record(usage) {
      if (isClosed) {
        stats.dropped += 1;
        return;
      }
      queue.push(usage);
      traces.mark(usage);
      if (queue.length > maxPending) {
        const excess = queue.length - maxPending;
        queue = queue.slice(excess);
        stats.dropped += excess;
      }
      stats.pending = queue.length;
      // a running flush keeps writing batches while records wait; otherwise start one
      if (queue.length >= batchSize && running === null) void flush();
    },
    flush,
    async whenIdle() {
      while (running) await running;
    },
    async close() {
      isClosed = true;
      clearInterval(timer);
      // a few attempts: a clean shutdown should not lose what the database briefly refused
      for (let attempt = 0; attempt < 3 && queue.length > 0; attempt++) await flush();
      await running;
    },
  };
}
