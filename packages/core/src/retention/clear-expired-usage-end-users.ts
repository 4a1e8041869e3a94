import type { Database } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import type { PurgeOptions } from "./purge-expired-chat-logs.ts";

/**
 * Clears `usage_event.end_user_id` on rows older than their organization's chat-log retention:
 * the row keeps its counts (billing and the monthly sums need them), but once the conversation
 * it metered is gone, so is whose it was. The period is the organization's current one (the
 * tier's, or the organization's when shorter), read at each batch, so a shortened retention
 * reaches old rows at the next run. Organizations under legal hold keep the ids, as they keep
 * their logs. Bounded batches, idempotent: a second run finds nothing.
 */
export async function clearExpiredUsageEndUsers(
  deps: { db: Database; clock: Clock },
  options: PurgeOptions = {},
): Promise<{ cleared: number; batches: number }> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? 200;
  const now = deps.clock.now();
  let cleared = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const [batch] = await deps.db.$queryRaw<{ count: number }[]>`
      WITH period AS (
        SELECT org.id AS organization_id,
               ${now}::timestamp(3) - make_interval(days => LEAST(tier.chat_log_retention_days,
                 COALESCE(org.chat_log_retention_days, tier.chat_log_retention_days))) AS before
          FROM organization org JOIN tier ON tier.id = org.tier_id
         WHERE NOT org.legal_hold),
      cleared AS (
        UPDATE usage_event SET end_user_id = NULL WHERE id IN (
          SELECT metered.id FROM usage_event metered
            JOIN period ON period.organization_id = metered.organization_id
           WHERE metered.end_user_id IS NOT NULL AND metered.created_at < period.before
           LIMIT ${batchSize})
        RETURNING 1)
      SELECT count(*)::int AS count FROM cleared`;
    const count = batch?.count ?? 0;
    batches += 1;
    cleared += count;
    if (count < batchSize) break;
  }
  if (cleared > 0) {
    await recordAuditEvent(deps.db, deps.clock, {
      actor: { type: "SYSTEM", id: "retention", origin: "worker" },
      action: "usage_event.clear_end_users",
      target: { type: "usage_event", id: "*" },
      metadata: { cleared, batches, retentionReadAt: now.toISOString() },
    });
  }
  return { cleared, batches };
}
