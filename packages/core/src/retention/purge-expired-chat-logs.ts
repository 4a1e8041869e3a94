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
 * during a run is honoured at once. Idempotent: a second run finds nothing.
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
  while (batches < maxBatches) {
    // The expiry index serves the inner query; the outer DELETE touches exactly those rows.
    const count = await deps.db.$executeRaw`
      DELETE FROM chat_log WHERE id IN (
        SELECT log.id FROM chat_log log
          JOIN organization org ON org.id = log.organization_id
         WHERE log.expires_at <= ${now} AND NOT org.legal_hold
         ORDER BY log.expires_at
         LIMIT ${batchSize})`;
    batches += 1;
    deleted += count;
    if (count < batchSize) break;
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
