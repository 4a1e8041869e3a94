import { purgeExpiredChatLogs } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";

export const purgeExpiredChatLogsJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "retention.purge-expired-chat-logs",
  schedule: "*/10 * * * *",
  description: "delete conversation logs past their retention, in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(50_000).optional() }),
  run: (payload, deps) => purgeExpiredChatLogs(deps, { batchSize: payload.batchSize }),
};
