import { type Database, sqlPoolOf } from "@dsc/db";
import type { UsageRecord } from "./usage-writer.ts";

/**
 * Inserts a batch of usage records in one statement with one array parameter per column,
 * straight through node-postgres. Prisma's createMany cost ~0.5 ms of CPU per row in the
 * gateway, and even a raw statement through Prisma spent tens of milliseconds on a batch's
 * parameters at once, stalling every request behind it (docs/benchmarks.md).
 */
export async function insertUsageEvents(db: Database, records: readonly UsageRecord[]): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (record: UsageRecord) => T) => records.map(pick);
  await sqlPoolOf(db).query(
    `INSERT INTO usage_event (request_id, organization_id, api_key_id, oauth_client_id, model_id, endpoint,
                              status, latency_ms, prompt_tokens, completion_tokens, cached, end_user_id, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::int[], $8::int[], $9::int[], $10::int[], $11::boolean[], $12::text[],
                          $13::timestamp(3)[])`,
    [
      column((r) => r.requestId),
      column((r) => r.organizationId),
      column((r) => r.apiKeyId),
      column((r) => r.oauthClientId),
      column((r) => r.modelId),
      column((r) => r.endpoint),
      column((r) => r.status),
      column((r) => r.latencyMs),
      column((r) => r.promptTokens),
      column((r) => r.completionTokens),
      column((r) => r.cached),
      column((r) => r.endUserId),
      // timestamp(3) columns hold UTC: the cast drops the ISO string's Z rather than applying it
      column((r) => r.createdAt.toISOString()),
    ],
  );
}
