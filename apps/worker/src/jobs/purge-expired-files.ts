import { FILE_PURGE_SCHEDULE, purgeExpiredFiles } from "@dsc/core";
import { z } from "zod";
import { fileStorageOf } from "./file-storage-of.ts";
import type { JobDefinition } from "./job-definition.ts";

export const purgeExpiredFilesJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "files.purge-expired",
  // in core, so that the dashboard can say when the next run removes what
  schedule: FILE_PURGE_SCHEDULE,
  description: "delete files past their expiry, records then bytes, in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(5_000).optional() }),
  run: async (payload, deps) =>
    purgeExpiredFiles({ ...deps, storage: fileStorageOf(deps) }, { batchSize: payload.batchSize }),
};
