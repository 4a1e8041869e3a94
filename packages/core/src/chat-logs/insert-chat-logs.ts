import type { Database } from "@dsc/db";

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

/**
 * Inserts a batch in one statement with one array parameter per column (see
 * insertUsageEvents for why not createMany). Ciphertexts travel as base64 text.
 */
export async function insertChatLogs(db: Database, rows: readonly ChatLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (row: ChatLogRow) => T) => rows.map(pick);
  await db.$executeRaw`
    INSERT INTO chat_log (id, request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
                          request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens,
                          created_at, expires_at)
    SELECT gen_random_uuid(), request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
           decode(request_ciphertext, 'base64'), decode(response_ciphertext, 'base64'),
           prompt_tokens, completion_tokens, created_at, expires_at
    FROM unnest(
      ${column((r) => r.requestId)}::text[], ${column((r) => r.organizationId)}::text[],
      ${column((r) => r.apiKeyId)}::text[], ${column((r) => r.modelId)}::text[],
      ${column((r) => r.endUserId)}::text[], ${column((r) => r.dataKeyId)}::text[],
      ${column((r) => r.requestCiphertext.toString("base64"))}::text[],
      ${column((r) => r.responseCiphertext.toString("base64"))}::text[],
      ${column((r) => r.promptTokens)}::int[], ${column((r) => r.completionTokens)}::int[],
      -- timestamp(3) columns hold UTC: the ISO string's Z is dropped by the cast, not applied
      ${column((r) => r.createdAt.toISOString())}::timestamp(3)[],
      ${column((r) => r.expiresAt.toISOString())}::timestamp(3)[]
    ) AS batch(request_id, organization_id, api_key_id, model_id, end_user_id, data_key_id,
               request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens,
               created_at, expires_at)`;
}
