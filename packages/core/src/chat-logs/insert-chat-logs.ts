import { type Database, sqlPoolOf } from "@dsc/db";

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

/**
 * Inserts a batch in one statement with one array parameter per column, straight through
 * node-postgres (see insertUsageEvents for why not Prisma). Each ciphertext column travels as
 * one text of base64 values joined by commas, which the statement splits: as a text[] array,
 * node-postgres escaped every long value character by character on the event loop.
 * A row whose data key no longer exists (an erasure deleted it since the row was sealed) is
 * left out rather than failing the batch; the answer names the data keys that were found, so
 * the caller can seal those rows again under a new key.
 */
export async function insertChatLogs(
  db: Database,
  rows: readonly ChatLogRow[],
): Promise<{ presentDataKeyIds: Set<string> }> {
  if (rows.length === 0) return { presentDataKeyIds: new Set() };
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
