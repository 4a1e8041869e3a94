import { sweepFileOrphans } from "@dsc/core";
import { z } from "zod";
import { fileStorageOf } from "./file-storage-of.ts";
import type { JobDefinition } from "./job-definition.ts";

export const sweepFileOrphansJob: JobDefinition<{ graceMs?: number | undefined }> = {
  id: "files.sweep-orphans",
  schedule: "17 * * * *",
  description: "remove file bytes without a record and records without bytes, older than a grace period",
  // at least an hour: younger objects may belong to uploads still writing their record
  payload: z.object({ graceMs: z.number().int().min(3_600_000).optional() }),
  run: async (payload, deps) =>
    sweepFileOrphans({ ...deps, storage: fileStorageOf(deps) }, { graceMs: payload.graceMs }),
};
