import type { Database } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";

export interface PurgeOptions {
  /** rows per DELETE; small enough to keep each transaction and its locks short */
  batchSize?: number;
  /** upper bound of batches per run; the next run continues */
  maxBatches?: number;
}

/**
 * Deletes conversation logs past their expiry, oldest first, in bounded batches. Logs of
 * organizations under legal hold are kept. Reads the hold at each batch, so a hold set
 * during a run is honoured at once (a hold lifted during a run is seen by the next run).
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
    // The expiry index serves the inner query; the outer DELETE touches exactly those rows.
    const [batch] = await deps.db.$queryRaw<{ count: number; reached: Date | null }[]>`
      WITH purged AS (
        DELETE FROM chat_log WHERE id IN (
          SELECT log.id FROM chat_log log
            JOIN organization org ON org.id = log.organization_id
           WHERE log.expires_at >= ${from} AND log.expires_at <= ${now} AND NOT org.legal_hold
           ORDER BY log.expires_at
           LIMIT ${batchSize})
        RETURNING expires_at)
      SELECT count(*)::int AS count, max(expires_at) AS reached FROM purged`;
    const count = batch?.count ?? 0;
    batches += 1;
    deleted += count;
    if (count < batchSize || !batch?.reached) break;
    // logs of the same instant may remain past the batch's limit: start at it, not after it
    from = batch.reached;
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
