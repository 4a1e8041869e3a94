import { allSubjectErasers, processDeletionRequests } from "@dsc/core";
import { z } from "zod";
import { fileStorageOf } from "./file-storage-of.ts";
import type { JobDefinition } from "./job-definition.ts";

export const processDeletionRequestsJob: JobDefinition<{ limit?: number | undefined }> = {
  id: "compliance.process-deletion-requests",
  schedule: "* * * * *",
  description: "erase the subjects of open deletion requests, oldest deadline first",
  payload: z.object({ limit: z.number().int().min(1).max(1000).optional() }),
  run: (payload, deps) =>
    processDeletionRequests(
      {
        ...deps,
        erasers: allSubjectErasers({
          db: deps.db,
          storage: fileStorageOf(deps),
          cache: deps.responseCache ?? null,
        }),
      },
      { limit: payload.limit },
    ),
};
