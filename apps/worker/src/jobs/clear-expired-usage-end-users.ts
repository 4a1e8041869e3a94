import { clearExpiredUsageEndUsers } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";

export const clearExpiredUsageEndUsersJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "retention.clear-expired-usage-end-users",
  schedule: "5-59/10 * * * *",
  description:
    "clear the end user of usage rows past their chat-log retention (counts stay), in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(50_000).optional() }),
  run: (payload, deps) => clearExpiredUsageEndUsers(deps, { batchSize: payload.batchSize }),
};
