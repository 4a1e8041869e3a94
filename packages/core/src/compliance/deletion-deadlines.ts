import type { Database, DeletionRequest, DeletionStatus, Prisma } from "@dsc/db";
import { NEAR_DEADLINE_MS } from "@dsc/vocabulary";
import type { Clock } from "../time/clock.ts";

// How close to its deadline an unfinished request raises the alert: the worker's log line, the
// gateway's gauges and the dashboard's flag all use this one number, so they always agree.
export { NEAR_DEADLINE_MS };

/** Requests the worker has not finished: their deadline still binds. */
export const OPEN_DELETION_STATUSES = [
  "PENDING",
  "PROCESSING",
  "FAILED",
  "NEEDS_ATTENTION",
] as const satisfies readonly DeletionStatus[];

/** Past its deadline, or due within NEAR_DEADLINE_MS. */
export type DeadlineRisk = "overdue" | "near_deadline";

/** The query of open requests within `windowMs` of their deadline, or past it. */
export function atRiskWhere(now: Date, windowMs = NEAR_DEADLINE_MS): Prisma.DeletionRequestWhereInput {
  return {
    status: { in: [...OPEN_DELETION_STATUSES] },
    dueAt: { lte: new Date(now.getTime() + windowMs) },
  };
}

/** Whether a request raises the deadline alert, and how badly; finished ones never do. */
export function deadlineRiskOf(
  request: Pick<DeletionRequest, "status" | "dueAt">,
  now: Date,
  windowMs = NEAR_DEADLINE_MS,
): DeadlineRisk | null {
  if (!(OPEN_DELETION_STATUSES as readonly DeletionStatus[]).includes(request.status)) return null;
  if (request.dueAt <= now) return "overdue";
  return request.dueAt.getTime() <= now.getTime() + windowMs ? "near_deadline" : null;
}

/**
 * How many requests are unfinished, and of those how many are near or past their deadline;
 * how many wait for a person (out of attempts) and how many for a legal hold.
 */
export interface DeletionDeadlineCounts {
  open: number;
  /** due within NEAR_DEADLINE_MS, not yet overdue */
  nearDeadline: number;
  overdue: number;
  /** NEEDS_ATTENTION: out of attempts, until a compliance officer retries them */
  needsAttention: number;
  /** ON_HOLD: their organization is under a legal hold */
  onHold: number;
}

/** Counts across every organization, for alerts; nothing identifies an organization or subject. */
export async function countDeletionDeadlines(deps: {
  db: Database;
  clock: Clock;
}): Promise<DeletionDeadlineCounts> {
  const now = deps.clock.now();
  const open = { status: { in: [...OPEN_DELETION_STATUSES] } };
  const [openCount, nearDeadline, overdue, waiting] = await Promise.all([
    deps.db.deletionRequest.count({ where: open }),
    deps.db.deletionRequest.count({ where: { AND: [atRiskWhere(now), { dueAt: { gt: now } }] } }),
    deps.db.deletionRequest.count({ where: { ...open, dueAt: { lte: now } } }),
    deps.db.deletionRequest.groupBy({
      by: ["status"],
      where: { status: { in: ["NEEDS_ATTENTION", "ON_HOLD"] } },
      _count: { _all: true },
    }),
  ]);
  const ofStatus = (status: DeletionStatus) =>
    waiting.find((group) => group.status === status)?._count._all ?? 0;
  return {
    open: openCount,
    nearDeadline,
    overdue,
    needsAttention: ofStatus("NEEDS_ATTENTION"),
    onHold: ofStatus("ON_HOLD"),
  };
}

export interface DeletionDeadlineGauges {
  /** the counts, at most `ttlMs` old */
  read(): Promise<DeletionDeadlineCounts>;
}

/**
 * The counts for a metrics endpoint, computed at most once per `ttlMs` (default 15 s). The
 * endpoint has no credentials, so anyone may scrape it as often as they like: this bounds the
 * database work of a scrape storm to one count per TTL per instance. Concurrent reads share
 * one computation, and a failure is kept for the TTL too, so a struggling database is not
 * asked again on every scrape.
 */
export function createDeletionDeadlineGauges(
  deps: { db: Database; clock: Clock },
  options: { ttlMs?: number } = {},
): DeletionDeadlineGauges {
  const ttlMs = options.ttlMs ?? 15_000;
  let cached: { at: number; counts: Promise<DeletionDeadlineCounts> } | null = null;
  return {
    read() {
      const now = deps.clock.now().getTime();
      // a clock that went back (tests, or a corrected system clock) makes the entry stale too
      if (!cached || now - cached.at >= ttlMs || now < cached.at) {
        cached = { at: now, counts: countDeletionDeadlines(deps) };
      }
      return cached.counts;
    },
  };
}
