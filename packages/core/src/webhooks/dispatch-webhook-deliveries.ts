import { type Database, sqlPoolOf } from "@dsc/db";
import type { Clock } from "../time/clock.ts";

/** A statement runner on the dispatcher's transaction, in the shape pg-boss's `db` option takes. */
export interface TransactionSql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Hands one delivery to the queue inside the dispatcher's transaction (pg-boss `send` with `db`). */
export type QueueWebhookDelivery = (deliveryId: string, transaction: TransactionSql) => Promise<void>;

const BATCH = 200;
const MAX_BATCHES = 25;

/**
 * Moves deliveries from the outbox to the queue: pending rows not yet queued, oldest first,
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
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM webhook_delivery
        WHERE status = 'PENDING' AND queued_at IS NULL
        ORDER BY created_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      [BATCH],
    );
    const transaction: TransactionSql = {
      executeSql: async (text, values) => ({ rows: (await client.query(text, values)).rows }),
    };
    for (const row of rows) await queue(row.id, transaction);
    if (rows.length > 0) {
      await client.query(
        `UPDATE webhook_delivery SET queued_at = $2::timestamp(3), updated_at = $2::timestamp(3) WHERE id = ANY($1::text[])`,
        [rows.map((row) => row.id), deps.clock.now().toISOString()],
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
