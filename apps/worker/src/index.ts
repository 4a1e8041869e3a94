export { JOBS } from "./jobs/index.ts";
export type { JobDefinition, JobDeps } from "./jobs/job-definition.ts";
export { type MetricsServer, startMetricsServer } from "./metrics/metrics-server.ts";
export { createWorkerMetrics, type JobOutcome, type WorkerMetrics } from "./metrics/worker-metrics.ts";
export { startWorker, type WorkerHandle } from "./start-worker.ts";
