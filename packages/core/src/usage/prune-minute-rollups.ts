import { type Database, sqlPoolOf } from "@dsc/db";
import { USAGE_MINUTE_BUCKETS_KEPT_MS } from "@dsc/vocabulary";
import type { Clock } from "../time/clock.ts";
import { ROLLUP_TABLES } from "./usage-rollups.ts";

/**
 * Deletes the usage roll-ups' minute rows older than USAGE_MINUTE_BUCKETS_KEPT_MS: charts by the
 * minute span a day at most, and the quota reads the current minute, while minute rows are the
 * most numerous. Bounded batches (each a short statement on the (grain, bucket_start) order of
 * the tables' keys or indexes); idempotent.
 */
export async function pruneMinuteRollups(
  deps: { db: Database; clock: Clock },
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<{ deleted: number; batches: number }> {
  const batchSize = options.batchSize ?? 10_000;
  const maxBatches = options.maxBatches ?? 500;
  const before = new Date(deps.clock.now().getTime() - USAGE_MINUTE_BUCKETS_KEPT_MS).toISOString();
  const pool = sqlPoolOf(deps.db);
  let deleted = 0;
  let batches = 0;
  for (const { table } of Object.values(ROLLUP_TABLES)) {
    while (batches < maxBatches) {
      const result = await pool.query(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${table} WHERE grain = 'minute' AND bucket_start < $1::timestamp(3) LIMIT $2))`,
        [before, batchSize],
      );
      batches += 1;
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) break;
    }
  }
  return { deleted, batches };
}
