import { pipeline } from "node:stream/promises";
import { type Database, sqlPoolOf } from "@dsc/db";
import { from as copyFrom } from "pg-copy-streams";
import { isRefusedRecord } from "../errors/refused-record.ts";
import { type CopyField, copyBinaryRows, fitsInt4 } from "./copy-binary-rows.ts";

/** One encrypted chat_log row as the writer builds it. */
export interface ChatLogRow {
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  modelId: string;
  endUserId: string | null;
  dataKeyId: string;
  requestCiphertext: Buffer;
  responseCiphertext: Buffer;
  promptTokens: number;
  completionTokens: number;
  createdAt: Date;
  expiresAt: Date;
}

/** One text for every batch, prepared once per connection under its name (see insert-usage-events.ts on PgBouncer). */
const INSERT_CHAT_LOGS_SQL = `WITH inserted AS (
       INSERT INTO chat_log (id, request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
                             request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens,
                             created_at, expires_at)
       SELECT gen_random_uuid(), request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
              decode(request_ciphertext, 'base64'), decode(response_ciphertext, 'base64'),
              prompt_tokens, completion_tokens, created_at, expires_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   string_to_array($7::text, ','), string_to_array($8::text, ','),
                   $9::int[], $10::int[], $11::timestamp(3)[], $12::timestamp(3)[])
         AS batch(request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
                  request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens,
                  created_at, expires_at)
       WHERE EXISTS (SELECT 1 FROM data_key WHERE data_key.id = batch.data_key_id)
       RETURNING data_key_id
     )
     SELECT DISTINCT data_key_id FROM inserted`;

const COPY_CHAT_LOGS_SQL = `COPY chat_log (id, request_id, organization_id, api_key_id, model_id, end_user_id,
       data_key_id, request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens, created_at, expires_at)
     FROM STDIN (FORMAT binary)`;

/**
 * Inserts a batch, and answers the data keys its rows were found to have. Usually one binary
 * COPY: PostgreSQL inserts its rows as they come, without the statement's arrays to parse and
 * split, and several to a page at once (they name their own ids, so no volatile default stops
 * that); it took a third less of PostgreSQL's CPU per row than the statement. The ids are
 * time-ordered (UUID version 7), so that the primary key grows at its right edge. A COPY fails
 * whole: when a row's data key is gone (an erasure deleted it since the row was sealed), or the
 * database refuses a row's data, or a count does not fit its column, the batch goes through the
 * statement instead, which leaves out the rows whose keys are gone and fails as it always did.
 */
export async function insertChatLogs(
  db: Database,
  rows: readonly ChatLogRow[],
): Promise<{ presentDataKeyIds: Set<string> }> {
  if (rows.length === 0) return { presentDataKeyIds: new Set() };
  if (rows.every((row) => fitsInt4(row.promptTokens) && fitsInt4(row.completionTokens))) {
    try {
      await copyChatLogs(db, rows);
      return { presentDataKeyIds: new Set(rows.map((row) => row.dataKeyId)) };
    } catch (error) {
      if (!isRefusedRecord(error)) throw error;
    }
  }
  return insertChatLogsSkippingLostKeys(db, rows);
}

/** The batch in one binary COPY, which fails whole (insertChatLogs' usual way). */
export async function copyChatLogs(db: Database, rows: readonly ChatLogRow[]): Promise<void> {
  const data = copyBinaryRows(rows.map(copyFieldsOf));
  const client = await sqlPoolOf(db).connect();
  try {
    await pipeline([data], client.query(copyFrom(COPY_CHAT_LOGS_SQL)));
    client.release();
  } catch (error) {
    // a connection whose COPY failed midway is closed rather than trusted with the next statement
    client.release(true);
    throw error;
  }
}

/** A row's fields in the COPY's column order. */
function copyFieldsOf(row: ChatLogRow): CopyField[] {
  return [
    { type: "uuid-v7", at: row.createdAt },
    { type: "text", value: row.requestId },
    { type: "text", value: row.organizationId },
    { type: "text", value: row.apiKeyId },
    { type: "text", value: row.modelId },
    { type: "text", value: row.endUserId },
    { type: "text", value: row.dataKeyId },
    { type: "bytea", value: row.requestCiphertext },
    { type: "bytea", value: row.responseCiphertext },
    { type: "int4", value: row.promptTokens },
    { type: "int4", value: row.completionTokens },
    { type: "timestamp", value: row.createdAt },
    { type: "timestamp", value: row.expiresAt },
  ];
}

/**
 * Inserts a batch in one statement with one array parameter per column, straight through
 * node-postgres (see insertUsageEvents for why not Prisma). Each ciphertext column travels as
 * one text of base64 values joined by commas, which the statement splits: as a text[] array,
 * node-postgres escaped every long value character by character on the event loop.
 * A row whose data key no longer exists is left out rather than failing the batch; the answer
 * names the data keys that were found, so the caller can seal those rows again under a new key.
 */
async function insertChatLogsSkippingLostKeys(
  db: Database,
  rows: readonly ChatLogRow[],
): Promise<{ presentDataKeyIds: Set<string> }> {
  const column = <T>(pick: (row: ChatLogRow) => T) => rows.map(pick);
  const result = await sqlPoolOf(db).query<{ data_key_id: string }>({
    name: "insert_chat_logs",
    text: INSERT_CHAT_LOGS_SQL,
    values: [
      column((r) => r.requestId),
      column((r) => r.organizationId),
      column((r) => r.apiKeyId),
      column((r) => r.modelId),
      column((r) => r.endUserId),
      column((r) => r.dataKeyId),
      column((r) => r.requestCiphertext.toString("base64")).join(","),
      column((r) => r.responseCiphertext.toString("base64")).join(","),
      column((r) => r.promptTokens),
      column((r) => r.completionTokens),
      // timestamp(3) columns hold UTC: the cast drops the ISO string's Z rather than applying it
      column((r) => r.createdAt.toISOString()),
      column((r) => r.expiresAt.toISOString()),
    ],
  });
  return { presentDataKeyIds: new Set(result.rows.map((row) => row.data_key_id)) };
}
