import { type Database, sqlPoolOf } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { usagePeriod } from "../usage/monthly-token-usage.ts";

/** Finished deliveries (and their attempts) are kept this long for the dashboard's history. */
export const WEBHOOK_DELIVERIES_KEPT_MS = 30 * 24 * 3_600_000;
/** A breaker's once-key only has to outlive its minute; an hour leaves room for slow clocks. */
const BREAKER_KEYS_KEPT_MS = 3_600_000;
/**
 * A completed request's once-key outlives the day in which its completion is announced
 * (notifyCompletedDeletionRequests looks back 24 hours), or it would be announced again.
 */
const COMPLETED_DELETION_KEYS_KEPT_MS = 48 * 3_600_000;

// Times as ISO text: the columns hold UTC without a zone, and once-keys carry ISO times.
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * What each kind of once-key needs to stay: a key may go once the run that checks it can no
 * longer pick its event again. Each statement selects the keys to delete; $1 is the batch size.
 */
function onceKeyRules(now: Date): { kind: string; select: string; values: unknown[] }[] {
  return [
    {
      kind: "breaker",
      select: `SELECT key FROM webhook_event_once
                WHERE key LIKE 'deployment.breaker\\_opened:%' AND created_at < $2::timestamp(3) LIMIT $1`,
      values: [new Date(now.getTime() - BREAKER_KEYS_KEPT_MS).toISOString()],
    },
    {
      // quota.threshold_reached:<organization>:<YYYY-MM>:<percent>, for a month that is over
      kind: "quota",
      select: `SELECT key FROM webhook_event_once
                WHERE key LIKE 'quota.threshold\\_reached:%' AND split_part(key, ':', 3) < $2 LIMIT $1`,
      values: [usagePeriod(now).id],
    },
    {
      // credential.expiring:<credential>:<expiry as ISO text>, once the expiry has passed (an
      // expired credential is never announced); ISO texts of one form compare as their times
      kind: "credential",
      select: `SELECT key FROM webhook_event_once
                WHERE key LIKE 'credential.expiring:%'
                  AND substr(key, length('credential.expiring:' || split_part(key, ':', 2) || ':') + 1) < $2
                LIMIT $1`,
      values: [now.toISOString()],
    },
    {
      // deletion_request.<event>:<request>, once the request is completed (or gone: a request
      // on hold may open again, and its deadline with it); a completed one's own key stays
      // while its completion can still be announced
      kind: "deletion",
      select: `SELECT e.key FROM webhook_event_once e
                 LEFT JOIN deletion_request r ON r.id = split_part(e.key, ':', 2)
                WHERE e.key LIKE 'deletion\\_request.%'
                  AND (r.id IS NULL
                       OR (r.status = 'COMPLETED'
                           AND (e.key NOT LIKE 'deletion\\_request.completed:%'
                                OR ${iso("r.completed_at")} < $2)))
                LIMIT $1`,
      values: [new Date(now.getTime() - COMPLETED_DELETION_KEYS_KEPT_MS).toISOString()],
    },
  ];
}

/**
 * Deletes what the webhooks no longer need: deliveries that ended more than 30 days ago (their
 * attempts go with them, by the foreign key's cascade) and once-keys whose event can no longer
 * come round again. Bounded batches, at most `maxBatches` statements a run; idempotent.
 */
export async function pruneWebhookRecords(
  deps: { db: Database; clock: Clock },
  options: { batchSize?: number | undefined; maxBatches?: number | undefined } = {},
): Promise<{ deliveries: number; onceKeys: number; batches: number }> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? 200;
  const now = deps.clock.now();
  const pool = sqlPoolOf(deps.db);
  let batches = 0;
  const deleteInBatches = async (statement: string, values: unknown[]) => {
    let deleted = 0;
    while (batches < maxBatches) {
      const result = await pool.query(statement, [batchSize, ...values]);
      batches += 1;
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) break;
    }
    return deleted;
  };
  const deliveries = await deleteInBatches(
    `DELETE FROM webhook_delivery WHERE id IN (
       SELECT id FROM webhook_delivery
        WHERE completed_at < $2::timestamp(3) AND status <> 'PENDING'
        LIMIT $1)`,
    [new Date(now.getTime() - WEBHOOK_DELIVERIES_KEPT_MS).toISOString()],
  );
  let onceKeys = 0;
  for (const rule of onceKeyRules(now)) {
    onceKeys += await deleteInBatches(
      `DELETE FROM webhook_event_once WHERE key IN (${rule.select})`,
      rule.values,
    );
  }
  return { deliveries, onceKeys, batches };
}
