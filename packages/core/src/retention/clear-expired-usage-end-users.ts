import { type Database, Prisma } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import { type PurgeOptions, retentionDays } from "./purge-expired-chat-logs.ts";

/**
 * One batch's UPDATE of the records of a kind that name an end user, over `period` (each
 * organization's cut-off) and bounded by `limit`: usage rows, the usage records dead-lettered
 * for a person to settle, and (a DELETE) the usage roll-ups' rows by end user.
 */
const CLEAR_BATCH = {
  usageEvents: (limit: number) => Prisma.sql`
    UPDATE usage_event SET end_user_id = NULL WHERE id IN (
      SELECT metered.id FROM usage_event metered
        JOIN period ON period.organization_id = metered.organization_id
       WHERE metered.end_user_id IS NOT NULL AND metered.created_at < period.before
       LIMIT ${limit})`,
  deadLetters: (limit: number) => Prisma.sql`
    UPDATE usage_dead_letter SET record = jsonb_set(record, '{endUserId}', 'null'::jsonb) WHERE id IN (
      SELECT refused.id FROM usage_dead_letter refused
        JOIN period ON period.organization_id = refused.organization_id
       WHERE refused.record->>'endUserId' IS NOT NULL AND refused.created_at < period.before
       LIMIT ${limit})`,
  // a bucket that began before the cut-off goes whole: an end user's id is kept no longer than
  // their usage rows keep it, at the price of up to a day of the by-end-user view
  endUserRollups: (limit: number) => Prisma.sql`
    DELETE FROM usage_rollup_end_user WHERE ctid = ANY(ARRAY(
      SELECT kept.ctid FROM usage_rollup_end_user kept
        JOIN period ON period.organization_id = kept.organization_id
       WHERE kept.grain IN ('minute', 'hour', 'day') AND kept.bucket_start < period.before
       LIMIT ${limit}))`,
};

/**
 * Clears the end-user id of usage rows (and of dead-lettered usage records) older than their
 * organization's chat-log retention: the row keeps its counts (billing and the monthly sums
 * need them), but once the conversation it metered is gone, so is whose it was; the usage
 * roll-ups by end user lose those rows too (the other roll-ups keep the counts without the id). The period is
 * the organization's current one (the tier's, or the organization's when shorter), read at each
 * batch, so a shortened retention reaches old rows at the next run. Organizations under legal
 * hold keep the ids, as they keep their logs. Bounded batches, idempotent: a second run finds
 * nothing.
 */
export async function clearExpiredUsageEndUsers(
  deps: { db: Database; clock: Clock },
  options: PurgeOptions = {},
): Promise<{ cleared: number; deadLettersCleared: number; endUserRollupsDeleted: number; batches: number }> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? 200;
  const now = deps.clock.now();
  const cleared = { usageEvents: 0, deadLetters: 0, endUserRollups: 0 };
  let batches = 0;
  for (const kind of ["usageEvents", "deadLetters", "endUserRollups"] as const) {
    while (batches < maxBatches) {
      const [batch] = await deps.db.$queryRaw<{ count: number }[]>`
        WITH period AS (
          SELECT org.id AS organization_id,
                 ${now}::timestamp(3) - make_interval(days => ${retentionDays}) AS before
            FROM organization org JOIN tier ON tier.id = org.tier_id
           WHERE NOT org.legal_hold),
        cleared AS (${CLEAR_BATCH[kind](batchSize)} RETURNING 1)
        SELECT count(*)::int AS count FROM cleared`;
      const count = batch?.count ?? 0;
      batches += 1;
      cleared[kind] += count;
      if (count < batchSize) break;
    }
  }
  const result = {
    cleared: cleared.usageEvents,
    deadLettersCleared: cleared.deadLetters,
    endUserRollupsDeleted: cleared.endUserRollups,
    batches,
  };
  if (result.cleared + result.deadLettersCleared + result.endUserRollupsDeleted > 0) {
    await recordAuditEvent(deps.db, deps.clock, {
      actor: { type: "SYSTEM", id: "retention", origin: "worker" },
      action: "usage_event.clear_end_users",
      target: { type: "usage_event", id: "*" },
      metadata: { ...result, retentionReadAt: now.toISOString() },
    });
  }
  return result;
}
