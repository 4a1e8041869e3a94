import { type Database, sqlPoolOf } from "@dsc/db";
import type { Clock } from "../time/clock.ts";

/** A statement runner on the dispatcher's transaction, in the shape pg-boss's `db` option takes. */
export interface TransactionSql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Hands one delivery to the queue inside the dispatcher's transaction (pg-boss `send` with `db`);
 * its endpoint is the job's group, so that one endpoint cannot hold every worker slot.
 */
export type QueueWebhookDelivery = (
  deliveryId: string,
  transaction: TransactionSql,
  endpointId: string,
) => Promise<void>;

const BATCH = 200;
const MAX_BATCHES = 25;

/**
 * A pending delivery queued longer ago than this lost its job (a queue restored from a backup,
 * a job deleted by hand): pg-boss's retries end within about a day, so it is queued again. The
 * delivery job tolerates the rare duplicate: it records an attempt only over the state it read.
 */
export const WEBHOOK_REQUEUE_AFTER_MS = 30 * 3_600_000;

/**
 * Moves deliveries from the outbox to the queue: pending rows not yet queued (or queued so long
 * ago that their job must be lost), oldest first,
 * each job inserted in the same transaction that marks its row queued, so a delivery is queued
 * exactly once even when several workers dispatch at once (`FOR UPDATE SKIP LOCKED`) or one
 * dies half-way (its transaction rolls back both). Bounded: at most 5,000 rows a run.
 */
export async function dispatchWebhookDeliveries(
  deps: { db: Database; clock: Clock },
  queue: QueueWebhookDelivery,
): Promise<{ queued: number }> {
  let queued = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const count = await dispatchBatch(deps, queue);
    queued += count;
    if (count < BATCH) break;
  }
  return { queued };
}

async function dispatchBatch(
  deps: { db: Database; clock: Clock },
  queue: QueueWebhookDelivery,
): Promise<number> {
  const client = await sqlPoolOf(deps.db).connect();
  try {
    await client.query("BEGIN");
    const now = deps.clock.now();
    const { rows } = await client.query<{ id: string; endpoint_id: string }>(
      `SELECT id, endpoint_id FROM webhook_delivery
        WHERE status = 'PENDING' AND (queued_at IS NULL OR queued_at < $2::timestamp(3))
        ORDER BY created_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      [BATCH, new Date(now.getTime() - WEBHOOK_REQUEUE_AFTER_MS).toISOString()],
    );
    const transaction: TransactionSql = {
      executeSql: async (text, values) => ({ rows: (await client.query(text, values)).rows }),
    };
    for (const row of rows) await queue(row.id, transaction, row.endpoint_id);
    if (rows.length > 0) {
      await client.query(
        `UPDATE webhook_delivery SET queued_at = $2::timestamp(3), updated_at = $2::timestamp(3) WHERE id = ANY($1::text[])`,
        [rows.map((row) => row.id), now.toISOString()],
      );
    }
    await client.query("COMMIT");
    return rows.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
