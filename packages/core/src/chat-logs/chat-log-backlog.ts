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

export interface ChatLogBacklogOptions {
  clock: Clock;
  /** most rows kept while the database fails; the oldest go first (default 10,000) */
  maxPending?: number;
  /** the first wait after a failure, doubled at each failure in a row (default 1 s) */
  baseDelayMs?: number;
  /** the longest wait (default 60 s) */
  maxDelayMs?: number;
  /** told about every row given up: never silent */
  onDrop: (count: number, error: unknown) => void;
}

/**
 * The chat-log rows the database could not take, kept in memory and offered again with
 * exponential backoff. They hold conversation text until written, so they are bounded: past
 * `maxPending` the oldest are dropped, reported and counted.
 */
export function createChatLogBacklog<T>(options: ChatLogBacklogOptions): ChatLogBacklog<T> {
  const maxPending = options.maxPending ?? 10_000;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const stats: ChatLogBacklogStats = { pending: 0, failedWrites: 0, dropped: 0 };
  let kept: T[] = [];
  let failuresInARow = 0;
  let retryAt = 0;

  const drop = (count: number, error: unknown) => {
    if (count <= 0) return;
    stats.dropped += count;
    options.onDrop(count, error);
  };
  const hold = (rows: T[], error: unknown) => {
    kept.push(...rows);
    const excess = kept.length - maxPending;
    if (excess > 0) {
      kept = kept.slice(excess);
      drop(excess, error);
    }
    stats.pending = kept.length;
  };
  let lastError: unknown = null;

  return {
    stats,
    admit(fresh, isForced = false) {
      if (!isForced && kept.length > 0 && options.clock.now().getTime() < retryAt) {
        hold(fresh, lastError);
        return [];
      }
      const due = kept.length > 0 ? [...kept, ...fresh] : fresh;
      kept = [];
      stats.pending = 0;
      return due;
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
      const count = kept.length;
      kept = [];
      stats.pending = 0;
      drop(count, error);
    },
    succeeded() {
      failuresInARow = 0;
    },
    drop,
  };
}
