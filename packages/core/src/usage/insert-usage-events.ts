import { type Database, sqlPoolOf } from "@dsc/db";
import { erasedBeforeWrittenSql, erasureDigestsOf } from "./erased-usage-subjects.ts";
import { eventsForRollupSql, rollupUpsertCtes } from "./usage-rollups.ts";
import type { UsageRecord } from "./usage-writer.ts";

/**
 * One text for every batch, prepared once per connection under its name: PostgreSQL parsed and
 * planned the statement, its roll-ups included, anew for each batch otherwise (a millisecond of
 * its CPU). Behind PgBouncer this needs session pooling, or PgBouncer 1.21's prepared statements.
 */
const INSERT_USAGE_EVENTS_SQL = `WITH inserted AS (
     INSERT INTO usage_event (request_id, organization_id, api_key_id, oauth_client_id, model_id, endpoint,
                              status, latency_ms, prompt_tokens, completion_tokens, cached, end_user_id, created_at)
     SELECT r.request_id, r.organization_id, r.api_key_id, r.oauth_client_id, r.model_id, r.endpoint,
            r.status, r.latency_ms, r.prompt_tokens, r.completion_tokens, r.cached,
            CASE WHEN r.end_user_id IS NULL THEN NULL
                 WHEN ${erasedBeforeWrittenSql("r.end_user_digest", "r.organization_digest", "r.created_at")}
                 THEN NULL ELSE r.end_user_id END,
            r.created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::int[], $8::int[], $9::int[], $10::int[], $11::boolean[], $12::text[],
                   $13::timestamp(3)[], $14::text[], $15::text[])
         AS r(request_id, organization_id, api_key_id, oauth_client_id, model_id, endpoint, status,
              latency_ms, prompt_tokens, completion_tokens, cached, end_user_id, created_at,
              end_user_digest, organization_digest)
     RETURNING organization_id, api_key_id, oauth_client_id, model_id, end_user_id, status, latency_ms,
               prompt_tokens, completion_tokens, cached, created_at),
     events AS (${eventsForRollupSql("inserted")}),
     ${rollupUpsertCtes("events")}
     SELECT 1`;

/**
 * Inserts a batch of usage records in one statement with one array parameter per column,
 * straight through node-postgres. Prisma's createMany cost ~0.5 ms of CPU per row in the
 * gateway, and even a raw statement through Prisma spent tens of milliseconds on a batch's
 * parameters at once, stalling every request behind it (docs/benchmarks.md). A record whose
 * end user's (or organization's) erasure started after it was made is written without the
 * end-user id (erased-usage-subjects.ts): one lookup by primary key per record that names one.
 * The same statement adds the rows it inserted to the usage roll-ups (usage-rollups.ts), with
 * the organization's tier and the model's prices of now: the events and their counts commit
 * together or not at all.
 */
export async function insertUsageEvents(db: Database, records: readonly UsageRecord[]): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (record: UsageRecord) => T) => records.map(pick);
  const digests = records.map(erasureDigestsOf);
  await sqlPoolOf(db).query({
    name: "insert_usage_events",
    text: INSERT_USAGE_EVENTS_SQL,
    values: [
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
      digests.map((digest) => digest.endUser),
      digests.map((digest) => digest.organization),
    ],
  });
}
