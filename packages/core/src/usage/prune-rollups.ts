import { type Database, sqlPoolOf } from "@dsc/db";
import { USAGE_HOUR_BUCKETS_KEPT_MS, USAGE_MINUTE_BUCKETS_KEPT_MS } from "@dsc/vocabulary";
import type { Clock } from "../time/clock.ts";
import { ROLLUP_TABLES, type RollupGrain } from "./usage-rollups.ts";

/**
 * How long each grain's rows are kept: charts by the minute span a day at most and the quota
 * reads the current minute, while minute rows are the most numerous; charts by the hour span 31
 * days at most, within a range of days' longest reach. Day and month rows are kept for good.
 */
const KEPT_MS: Partial<Record<RollupGrain, number>> = {
  minute: USAGE_MINUTE_BUCKETS_KEPT_MS,
  hour: USAGE_HOUR_BUCKETS_KEPT_MS,
};

/**
 * Deletes the usage roll-ups' minute rows older than USAGE_MINUTE_BUCKETS_KEPT_MS and hour rows
 * older than USAGE_HOUR_BUCKETS_KEPT_MS. Bounded batches (each a short statement on the
 * (grain, bucket_start) order of the tables' keys or indexes), at most `maxBatches` in all;
 * idempotent.
 */
export async function pruneRollups(
  deps: { db: Database; clock: Clock },
  options: { batchSize?: number | undefined; maxBatches?: number | undefined } = {},
): Promise<{ deleted: number; batches: number }> {
  const batchSize = options.batchSize ?? 10_000;
  const maxBatches = options.maxBatches ?? 500;
  const now = deps.clock.now().getTime();
  const pool = sqlPoolOf(deps.db);
  let deleted = 0;
  let batches = 0;
  for (const { table, grains } of Object.values(ROLLUP_TABLES)) {
    for (const grain of grains) {
      const keptMs = KEPT_MS[grain];
      if (keptMs === undefined) continue;
      const before = new Date(now - keptMs).toISOString();
      while (batches < maxBatches) {
        const result = await pool.query(
          `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM ${table} WHERE grain = $1 AND bucket_start < $2::timestamp(3) LIMIT $3))`,
          [grain, before, batchSize],
        );
        batches += 1;
        deleted += result.rowCount ?? 0;
        if ((result.rowCount ?? 0) < batchSize) break;
      }
    }
  }
  return { deleted, batches };
}
