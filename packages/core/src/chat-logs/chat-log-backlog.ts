import type { Clock } from "../time/clock.ts";

export interface ChatLogBacklogStats {
  /** rows waiting for the database to take them again */
  pending: number;
  /** writes the database failed (their rows were kept and retried) */
  failedWrites: number;
  /** rows given up: over the bound while the database kept failing, or refused for their data */
  dropped: number;
}

export interface ChatLogBacklog<T> {
  /**
   * What to write now: the kept rows and `fresh` once the backoff has passed; while it runs,
   * `fresh` joins the kept rows and nothing is written (a failing database is not hammered).
   */
  admit(fresh: T[], isForced?: boolean): T[];
  /** Rows that wait with the kept ones (the rest of a flush after a failure), not tried now. */
  defer(rows: T[]): void;
  /** The database failed to take `rows`: they are kept, and the next attempt waits longer. */
  keep(rows: T[], error: unknown): void;
  /** A write went through: the next failure starts the backoff again from its first step. */
  succeeded(): void;
  /** Rows given up on purpose (a refusal that no retry would change), counted like the others. */
  drop(count: number, error: unknown): void;
  /** Gives up every kept row (at shutdown), reported and counted. */
  abandon(error: unknown): void;
  readonly stats: ChatLogBacklogStats;
}

export interface ChatLogBacklogOptions<T> {
  clock: Clock;
  /** most rows kept while the database fails; the oldest go first (default 10,000) */
  maxPending?: number;
  /** most bytes of rows kept (as `bytesOf` counts them), the oldest going first (default 256 MiB) */
  maxPendingBytes?: number;
  /** a row's size for maxPendingBytes (default: rows have none) */
  bytesOf?: (row: T) => number;
  /** the first wait after a failure, doubled at each failure in a row (default 1 s) */
  baseDelayMs?: number;
  /** the longest wait (default 60 s) */
  maxDelayMs?: number;
  /** told about every row given up: never silent */
  onDrop: (count: number, error: unknown) => void;
}

/**
 * The chat-log rows the database could not take, kept in memory and offered again with
 * exponential backoff. They hold conversation text until written, so they are bounded, in rows
 * and in bytes (ten thousand rows of a tier's largest prompts would not fit in memory): past
 * either bound the oldest are dropped, reported and counted.
 */
export function createChatLogBacklog<T>(options: ChatLogBacklogOptions<T>): ChatLogBacklog<T> {
  const maxPending = options.maxPending ?? 10_000;
  const maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
  const bytesOf = options.bytesOf ?? (() => 0);
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const stats: ChatLogBacklogStats = { pending: 0, failedWrites: 0, dropped: 0 };
  let kept: T[] = [];
  let keptBytes = 0;
  let failuresInARow = 0;
  let retryAt = 0;

  const drop = (count: number, error: unknown) => {
    if (count <= 0) return;
    stats.dropped += count;
    options.onDrop(count, error);
  };
  const hold = (rows: T[], error: unknown) => {
    kept.push(...rows);
    for (const row of rows) keptBytes += bytesOf(row);
    let excess = 0;
    while (excess < kept.length && (kept.length - excess > maxPending || keptBytes > maxPendingBytes)) {
      keptBytes -= bytesOf(kept[excess] as T);
      excess += 1;
    }
    if (excess > 0) {
      kept = kept.slice(excess);
      drop(excess, error);
    }
    stats.pending = kept.length;
  };
  const takeKept = () => {
    const rows = kept;
    kept = [];
    keptBytes = 0;
    stats.pending = 0;
    return rows;
  };
  let lastError: unknown = null;

  return {
    stats,
    admit(fresh, isForced = false) {
      if (!isForced && kept.length > 0 && options.clock.now().getTime() < retryAt) {
        hold(fresh, lastError);
        return [];
      }
      return kept.length > 0 ? [...takeKept(), ...fresh] : fresh;
    },
    keep(rows, error) {
      stats.failedWrites += 1;
      failuresInARow += 1;
      lastError = error;
      retryAt = options.clock.now().getTime() + Math.min(maxDelayMs, baseDelayMs * 2 ** (failuresInARow - 1));
      hold(rows, error);
    },
    defer(rows) {
      hold(rows, lastError);
    },
    abandon(error) {
      drop(takeKept().length, error);
    },
    succeeded() {
      failuresInARow = 0;
    },
    drop,
  };
}
