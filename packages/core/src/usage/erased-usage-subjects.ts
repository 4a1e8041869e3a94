import { coveringDigests } from "../chat-logs/erasure-tombstones.ts";
import type { UsageRecord } from "./usage-writer.ts";

/**
 * The tombstone digests (erased_subject) that can take a usage record's end-user id away: its
 * end user's and its organization's; both null for a record that names no end user.
 */
export function erasureDigestsOf(record: Pick<UsageRecord, "organizationId" | "endUserId">): {
  endUser: string | null;
  organization: string | null;
} {
  if (record.endUserId === null) return { endUser: null, organization: null };
  const [organization = null, endUser = null] = coveringDigests(record);
  return { endUser, organization };
}

/**
 * SQL that is true when the erasure of the subject of these digests started at or after a
 * record was made: the erasure clears the end-user id of the usage it finds, and a record still
 * queued in a gateway then (the writer batches for a second, longer while the database fails)
 * must lose it on the way in, as a late chat-log turn is dropped. Records made after the start
 * are the organization's new traffic and keep it.
 */
export function erasedBeforeWrittenSql(endUserDigest: string, organizationDigest: string, createdAt: string) {
  return `EXISTS (SELECT 1 FROM erased_subject erased
                   WHERE erased.subject_digest IN (${endUserDigest}, ${organizationDigest})
                     AND erased.erased_at >= ${createdAt})`;
}
