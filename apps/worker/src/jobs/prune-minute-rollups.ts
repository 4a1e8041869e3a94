import { pruneMinuteRollups } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";

export const pruneMinuteRollupsJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "usage.prune-minute-rollups",
  schedule: "17 * * * *",
  description: "delete the usage roll-ups' minute rows older than 48 hours, in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(50_000).optional() }),
  run: (payload, deps) => pruneMinuteRollups(deps, { batchSize: payload.batchSize }),
};
