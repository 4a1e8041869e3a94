import { checkMasterKeys, createMasterKeyHealth } from "@dsc/core";
import { PgBoss } from "pg-boss";
import type { JobDefinition, JobDeps } from "./jobs/job-definition.ts";
import type { WorkerMetrics } from "./metrics/worker-metrics.ts";
import { QUEUE_SCHEMA, retireUnmigratableQueueSchema } from "./queue-schema.ts";

export interface WorkerHandle {
  boss: PgBoss;
  stop(): Promise<void>;
}

/**
 * Registers every job with pg-boss: a queue each, its cron schedule, and a handler that
 * validates the payload and calls core. pg-boss hands each job to one worker only, so any
 * number of worker processes may run. With master keys, they are checked first: keys that
 * cannot open what the database holds refuse the start with an error naming the version.
 */
export async function startWorker(
  options: {
    databaseUrl: string;
    jobs: JobDefinition[];
    /** counts each job's runs, failures and durations; absent = not counted */
    metrics?: WorkerMetrics | null;
  } & JobDeps,
): Promise<WorkerHandle> {
  const { logger } = options;
  if (options.keyring) {
    // a replaced or lost ENCRYPTION_KEY would fail every job that opens or writes encrypted data
    const health = createMasterKeyHealth(await checkMasterKeys({ ...options, keyring: options.keyring }));
    if (health.failures().length > 0) throw new Error(`worker not started: ${health.describe()}`);
  }
  const retired = await retireUnmigratableQueueSchema({ databaseUrl: options.databaseUrl });
  if (retired) {
    logger.warn(
      { retired },
      "the queue schema of pg-boss 10 cannot be migrated by this pg-boss: renamed, a new one is made (schedules are registered again)",
    );
  }
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: QUEUE_SCHEMA });
  boss.on("error", (error) => logger.error({ err: error }, "pg-boss error"));
  await boss.start();
  // jobs that hand work to another queue (the webhook dispatcher) send through pg-boss itself
  const deps: JobDeps = { ...options, queue: boss };

  for (const job of options.jobs) {
    await boss.createQueue(job.id, job.queue);
    // an existing queue keeps its options unless updated: a changed retry policy applies at start
    if (job.queue) await boss.updateQueue(job.id, job.queue);
    if (job.schedule) await boss.schedule(job.id, job.schedule, {}, { tz: "UTC" });
    else await boss.unschedule(job.id);
    options.metrics?.declareJob(job.id);
    await boss.work(job.id, job.work ?? {}, async ([received]) => {
      if (!received) return;
      await timedRun(options.metrics, job.id, async () => {
        const payload = job.payload.parse(received.data ?? {});
        const started = Date.now();
        const result = await job.run(payload, deps, { retryCount: received.retryCount });
        logger.info({ job: job.id, jobRunId: received.id, ms: Date.now() - started, ...result }, "job done");
      });
    });
  }
  logger.info(
    {
      schedule: options.jobs.map((job) => ({
        job: job.id,
        cron: job.schedule ?? "on demand",
        does: job.description,
      })),
    },
    "worker schedule",
  );
  return {
    boss,
    // resolves once the jobs under way have finished (or the timeout passed) and pg-boss is closed
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

/** One run of a job, counted with its outcome and duration; a refused payload is a failure too. */
async function timedRun(metrics: WorkerMetrics | null | undefined, jobId: string, run: () => Promise<void>) {
  const startedAt = performance.now();
  try {
    await run();
  } catch (error) {
    metrics?.observeJob(jobId, "failure", (performance.now() - startedAt) / 1e3);
    throw error;
  }
  metrics?.observeJob(jobId, "success", (performance.now() - startedAt) / 1e3);
}
