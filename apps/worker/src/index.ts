export { JOBS } from "./jobs/index.ts";
export type { JobDefinition, JobDeps } from "./jobs/job-definition.ts";
export { startWorker, type WorkerHandle } from "./start-worker.ts";
