import { type Database, sqlPoolOf } from "@dsc/db";
import { erasedBeforeWrittenSql, erasureDigestsOf } from "./erased-usage-subjects.ts";
import type { UsageRecord } from "./usage-writer.ts";

/** PostgreSQL's text and jsonb cannot hold U+0000: it is kept as the six characters `\u0000`. */
const escapeNul = (text: string) => text.replaceAll("\u0000", "\\u0000");

/**
 * Keeps a usage record the database refused in usage_dead_letter, with the refusal's message,
 * so that a person can settle it and the records queued behind it are written. Like a usage
 * row, it comes without the end-user id when the end user's erasure started after it was made.
 */
export async function deadLetterUsage(db: Database, record: UsageRecord, error: unknown): Promise<void> {
  const json = JSON.stringify(record, (_key, value: unknown) =>
    typeof value === "string" ? escapeNul(value) : value,
  );
  const message = error instanceof Error ? error.message : String(error);
  const digests = erasureDigestsOf(record);
  await sqlPoolOf(db).query(
    `INSERT INTO usage_dead_letter (organization_id, record, error)
     SELECT $1, CASE WHEN ${erasedBeforeWrittenSql("$4", "$5", "$6::timestamp(3)")}
                     THEN jsonb_set($2::jsonb, '{endUserId}', 'null'::jsonb) ELSE $2::jsonb END, $3`,
    [
      escapeNul(record.organizationId),
      json,
      escapeNul(message),
      digests.endUser,
      digests.organization,
      record.createdAt.toISOString(),
    ],
  );
}

/**
 * Clears the end-user id in up to `limit` dead-lettered records of an organization: those of
 * one end user, or, with `endUserId` null, all of them (the organization's erasure). The
 * record keeps its counts for whoever settles it, as usage rows do. Returns how many records
 * it cleared: fewer than `limit` means none is left. The refusal's message stays: PostgreSQL
 * names no text value in the refusals that dead-letter a record (the end-user id is text, and
 * is never converted), so it cannot hold the id.
 */
export async function clearDeadLetteredEndUsers(
  db: Database,
  subject: { organizationId: string; endUserId: string | null },
  limit: number,
): Promise<number> {
  const endUserId = subject.endUserId === null ? null : escapeNul(subject.endUserId);
  const result = await sqlPoolOf(db).query<{ count: number }>(
    `WITH cleared AS (
       UPDATE usage_dead_letter SET record = jsonb_set(record, '{endUserId}', 'null'::jsonb)
        WHERE id IN (
          SELECT id FROM usage_dead_letter
           WHERE organization_id = $1
             AND CASE WHEN $2::text IS NULL THEN record->>'endUserId' IS NOT NULL
                      ELSE record->>'endUserId' = $2::text END
           LIMIT $3)
       RETURNING 1)
     SELECT count(*)::int AS count FROM cleared`,
    [escapeNul(subject.organizationId), endUserId, limit],
  );
  return result.rows[0]?.count ?? 0;
}
