import { type Clock, countDeletionDeadlines, type DeletionDeadlineCounts } from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** How one run of a job ended. */
export type JobOutcome = "success" | "failure";

/** The worker's Prometheus series: its jobs, the deletion register, and the process defaults. */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** makes the job's series exist (at 0) before its first run, so rates and alerts see it */
  declareJob(jobId: string): void;
  observeJob(jobId: string, outcome: JobOutcome, seconds: number): void;
  exposition(): Promise<string>;
}

// jobs run from milliseconds (nothing to do) to many minutes (a large erasure, a key rotation)
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
/** what the worker's count of the deletion register may be old, however often it is scraped */
const DELETION_COUNT_TTL_MS = 15_000;
const DELETION_STATUSES = [
  "PENDING",
  "PROCESSING",
  "FAILED",
  "NEEDS_ATTENTION",
  "ON_HOLD",
  "COMPLETED",
] as const;

/**
 * One registry of the worker's own (never prom-client's global one). The deletion counts are
 * read from the database at a scrape, at most once per 15 s, and are absent while it cannot
 * count (logged once per failed count): a 0 would read as all clear.
 */
export function createWorkerMetrics(deps: { db: Database; clock: Clock; logger: Logger }): WorkerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const runs = new Counter({
    name: "dsc_job_runs_total",
    help: "Job runs by job and outcome (success or failure: an error, or a payload the job refused)",
    labelNames: ["job", "outcome"] as const,
    registers,
  });
  const durations = new Histogram({
    name: "dsc_job_duration_seconds",
    help: "Job run time by job and outcome",
    labelNames: ["job", "outcome"] as const,
    buckets: JOB_BUCKETS,
    registers,
  });
  const lastSuccess = new Gauge({
    name: "dsc_job_last_success_timestamp_seconds",
    help: "When each job last ran to the end, in Unix seconds (0: not since this worker started)",
    labelNames: ["job"] as const,
    registers,
  });

  const deletions = deletionRegisterCounts(deps);
  registerDeletionGauges(registry, deletions);

  return {
    registry,
    declareJob(jobId) {
      for (const outcome of ["success", "failure"] as const) {
        runs.labels(jobId, outcome).inc(0);
        durations.zero({ job: jobId, outcome });
      }
      lastSuccess.labels(jobId).set(0);
    },
    observeJob(jobId, outcome, seconds) {
      runs.labels(jobId, outcome).inc();
      durations.labels(jobId, outcome).observe(seconds);
      if (outcome === "success") lastSuccess.labels(jobId).set(deps.clock.now().getTime() / 1e3);
    },
    exposition: () => registry.metrics(),
  };
}

interface DeletionRegister {
  deadlines: DeletionDeadlineCounts;
  byStatus: Map<string, number>;
}

/** The register's counts, computed at most once per TTL; null while the database cannot say. */
function deletionRegisterCounts(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
}): () => Promise<DeletionRegister | null> {
  let cached: { at: number; counts: Promise<DeletionRegister | null> } | null = null;
  const count = async (): Promise<DeletionRegister | null> => {
    try {
      const [deadlines, groups] = await Promise.all([
        countDeletionDeadlines(deps),
        deps.db.deletionRequest.groupBy({ by: ["status"], _count: { _all: true } }),
      ]);
      return {
        deadlines,
        byStatus: new Map(groups.map((group) => [group.status as string, group._count._all])),
      };
    } catch (error) {
      // once per failed count (the failure is kept for the TTL like a count)
      deps.logger.warn({ err: error }, "metrics: could not count deletion requests");
      return null;
    }
  };
  return () => {
    const now = deps.clock.now().getTime();
    if (!cached || now - cached.at >= DELETION_COUNT_TTL_MS || now < cached.at) {
      cached = { at: now, counts: count() };
    }
    return cached.counts;
  };
}

/**
 * The register by status, and its open requests by deadline state (on time, due within 12
 * hours, past the 72-hour deadline), which the alerts watch. Counts only: nothing names an
 * organization or a subject. Both have no sample while the database cannot count.
 */
function registerDeletionGauges(registry: Registry, read: () => Promise<DeletionRegister | null>) {
  new Gauge({
    name: "dsc_deletion_requests_by_status",
    help: "Deletion requests in the register by status (completed ones included)",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await read();
      if (!counts) return;
      for (const status of DELETION_STATUSES) {
        this.labels(status.toLowerCase()).set(counts.byStatus.get(status) ?? 0);
      }
    },
  });
  new Gauge({
    name: "dsc_deletion_requests_by_deadline",
    help: "Open deletion requests (not completed, not on hold) by deadline state: on_time, near_deadline (due within 12 hours), overdue",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await read();
      if (!counts) return;
      const { open, nearDeadline, overdue } = counts.deadlines;
      this.labels("on_time").set(open - nearDeadline - overdue);
      this.labels("near_deadline").set(nearDeadline);
      this.labels("overdue").set(overdue);
    },
  });
}
