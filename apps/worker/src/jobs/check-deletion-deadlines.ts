import { findDeletionRequestsAtRisk, notifyDeletionDeadlines } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";
import { dispatchWebhooks } from "./webhook-jobs.ts";

/**
 * The 72-hour promise is a legal one: requests within 12 hours of their deadline, or past it,
 * are logged as errors (which alerting picks up) and counted in the result, and announced to
 * webhooks (`deletion_request.near_deadline`, `deletion_request.overdue`), once per request each.
 */
export const checkDeletionDeadlinesJob: JobDefinition<Record<string, never>> = {
  id: "compliance.check-deletion-deadlines",
  schedule: "*/10 * * * *",
  description: "alert on deletion requests near or past their 72-hour deadline",
  payload: z.object({}).strict(),
  async run(_payload, deps) {
    const atRisk = await findDeletionRequestsAtRisk(deps);
    const now = deps.clock.now();
    const overdue = atRisk.filter((request) => request.dueAt <= now);
    if (atRisk.length > 0) {
      deps.logger.error(
        {
          alert: "deletion_deadline",
          overdue: overdue.map((r) => r.id),
          nearDeadline: atRisk.filter((r) => r.dueAt > now).map((r) => r.id),
        },
        "deletion requests near or past their deadline",
      );
    }
    const { events } = await notifyDeletionDeadlines(deps);
    if (events > 0) await dispatchWebhooks(deps);
    return { atRisk: atRisk.length, overdue: overdue.length, webhookEvents: events };
  },
};
