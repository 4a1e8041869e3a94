import { sweepFileOrphans } from "@dsc/core";
import { z } from "zod";
import { fileStorageOf } from "./file-storage-of.ts";
import type { JobDefinition } from "./job-definition.ts";

interface SweepPayload {
  graceMs?: number | undefined;
  maxOrphanShare?: number | undefined;
}

export const sweepFileOrphansJob: JobDefinition<SweepPayload> = {
  id: "files.sweep-orphans",
  schedule: "17 * * * *",
  description: "remove file bytes without a record and records without bytes, older than a grace period",
  payload: z.object({
    // at least an hour: younger objects may belong to uploads still writing their record
    graceMs: z.number().int().min(3_600_000).optional(),
    // 1 lets an operator clean up after a known mass failure (the sweep refuses above half)
    maxOrphanShare: z.number().min(0).max(1).optional(),
  }),
  run: async (payload, deps) =>
    sweepFileOrphans(
      { ...deps, storage: fileStorageOf(deps) },
      { graceMs: payload.graceMs, maxOrphanShare: payload.maxOrphanShare },
    ),
};
