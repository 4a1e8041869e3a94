import { allSubjectErasers, notifyCompletedDeletionRequests, processDeletionRequests } from "@dsc/core";
import { z } from "zod";
import { fileStorageOf } from "./file-storage-of.ts";
import type { JobDefinition } from "./job-definition.ts";
import { dispatchWebhooks } from "./webhook-jobs.ts";

export const processDeletionRequestsJob: JobDefinition<{ limit?: number | undefined }> = {
  id: "compliance.process-deletion-requests",
  schedule: "* * * * *",
  description: "erase the subjects of open deletion requests, oldest deadline first",
  payload: z.object({ limit: z.number().int().min(1).max(1000).optional() }),
  async run(payload, deps) {
    const result = await processDeletionRequests(
      {
        ...deps,
        erasers: allSubjectErasers({
          db: deps.db,
          clock: deps.clock,
          storage: fileStorageOf(deps),
          cache: deps.responseCache ?? null,
          cacheTtlMs: deps.responseCacheTtlMs,
        }),
      },
      { limit: payload.limit },
    );
    // a request out of attempts waits for a person: alerting picks up the error line
    if (result.needsAttention > 0) {
      deps.logger.error(
        { alert: "deletion_needs_attention", count: result.needsAttention },
        "deletion requests ran out of attempts and need a compliance officer",
      );
    }
    // `deletion_request.completed` once per request, for this run's and any a failed run missed
    const { events } = await notifyCompletedDeletionRequests(deps);
    if (events > 0) await dispatchWebhooks(deps);
    return { ...result, webhookEvents: events };
  },
};
