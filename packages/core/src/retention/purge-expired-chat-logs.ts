import { type Database, Prisma } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";

/**
 * The organization's chat-log retention in days, in SQL over `org` and `tier`: its own when
 * set and shorter than the tier's, else the tier's (the same rule as chatLogExpiry).
 */
export const retentionDays = Prisma.sql`GREATEST(0, LEAST(tier.chat_log_retention_days,
  COALESCE(org.chat_log_retention_days, tier.chat_log_retention_days)))`;

export interface PurgeOptions {
  /** rows per DELETE; small enough to keep each transaction and its locks short */
  batchSize?: number;
  /** upper bound of batches per run; the next run continues */
  maxBatches?: number;
}

/**
 * Deletes conversation logs past their expiry, oldest first, in bounded batches. A log expires
 * at the earlier of the expiry it was written with and its creation plus the organization's
 * current retention (its own, or the tier's when that is shorter): a shortened retention
 * reaches the logs already written at the next run, a longer one only the logs written after
 * it (what was kept under a shorter promise is never kept longer). Logs of organizations under
 * legal hold are kept. Reads the hold and the retention at each batch, so a hold set during a
 * run is honoured at once (a hold lifted during a run is seen by the next run).
 * Idempotent: a second run finds nothing.
 */
export async function purgeExpiredChatLogs(
  deps: { db: Database; clock: Clock },
  options: PurgeOptions = {},
): Promise<{ deleted: number; batches: number }> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? 200;
  const now = deps.clock.now();
  let deleted = 0;
  let batches = 0;
  // Each batch starts at the expiry the last one reached: every log that expired before it
  // and is not held is gone, so the held ones there are not read again by every batch.
  let from = new Date(0);
  while (batches < maxBatches) {
    // Two ways to expire, each served by an index: the written expiry (expires_at), and the
    // current retention per organization ((organization_id, created_at), one probe for each
    // organization not on hold). Logs past their written expiry come first, so that the cursor
    // holds; the others are those only the retention ends. The outer DELETE touches exactly
    // the rows chosen.
    const [batch] = await deps.db.$queryRaw<{ count: number; reached: Date | null }[]>`
      WITH purged AS (
        DELETE FROM chat_log WHERE id IN (
          SELECT due.id FROM (
            (SELECT log.id, 0 AS pass FROM chat_log log
               JOIN organization org ON org.id = log.organization_id
              WHERE log.expires_at >= ${from} AND log.expires_at <= ${now} AND NOT org.legal_hold
              ORDER BY log.expires_at
              LIMIT ${batchSize})
            UNION ALL
            (SELECT past.id, 1 AS pass FROM organization org
               JOIN tier ON tier.id = org.tier_id
               CROSS JOIN LATERAL (
                 SELECT log.id FROM chat_log log
                  WHERE log.organization_id = org.id
                    AND log.created_at <= ${now}::timestamp(3) - make_interval(days => ${retentionDays})
                    AND log.expires_at > ${now}
                  ORDER BY log.created_at
                  LIMIT ${batchSize}) past
              WHERE NOT org.legal_hold
              LIMIT ${batchSize})
          ) due
          ORDER BY due.pass
          LIMIT ${batchSize})
        RETURNING expires_at)
      SELECT count(*)::int AS count, max(expires_at) FILTER (WHERE expires_at <= ${now}) AS reached
        FROM purged`;
    const count = batch?.count ?? 0;
    batches += 1;
    deleted += count;
    if (count < batchSize) break;
    // logs of the same instant may remain past the batch's limit: start at it, not after it
    if (batch?.reached) from = batch.reached;
  }
  if (deleted > 0) {
    await recordAuditEvent(deps.db, deps.clock, {
      actor: { type: "SYSTEM", id: "retention", origin: "worker" },
      action: "chat_log.purge_expired",
      target: { type: "chat_log", id: "*" },
      metadata: { deleted, batches, expiredBefore: now.toISOString() },
    });
  }
  return { deleted, batches };
}
