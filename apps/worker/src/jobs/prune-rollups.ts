import { pruneRollups } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";

export const pruneRollupsJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "usage.prune-rollups",
  schedule: "17 * * * *",
  description:
    "delete the usage roll-ups' minute rows older than 48 hours and hour rows older than 400 days, in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(50_000).optional() }),
  run: (payload, deps) => pruneRollups(deps, { batchSize: payload.batchSize }),
};
