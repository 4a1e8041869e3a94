import { createHash } from "node:crypto";
import { type Database, sqlPoolOf } from "@dsc/db";

/**
 * Whose erasure a tombstone marks: an end user of an organization, a whole organization, or
 * a dashboard account (which has no logs, but whose erasure is recorded all the same).
 */
export interface TombstoneSubject {
  type: "END_USER" | "ORGANIZATION" | "ACCOUNT";
  organizationId: string | null;
  id: string;
}

/**
 * The digest that names a subject in `erased_subject`. The table outlives the erasure, so it
 * must not hold the id the erasure removed; a digest lets a writer that holds the id find it.
 */
export function tombstoneDigest(subject: TombstoneSubject): string {
  const organizationId = subject.type === "ORGANIZATION" ? subject.id : (subject.organizationId ?? "");
  return createHash("sha256")
    .update(`${subject.type}\u0000${organizationId}\u0000${subject.id}`)
    .digest("hex");
}

/**
 * Marks the subject's erasure as started, before anything of it is removed: from then on the
 * chat-log writer drops the subject's turns recorded before this moment instead of sealing them
 * (under a fresh key, since the erasure destroys the old one). A retry moves the moment later,
 * which only drops more of what was recorded while the erasure ran.
 */
export async function recordErasureStarted(
  db: Database,
  subject: TombstoneSubject,
  startedAt: Date = new Date(),
): Promise<void> {
  await sqlPoolOf(db).query(
    `INSERT INTO erased_subject (subject_digest, subject_type, erased_at)
     VALUES ($1, $2::deletion_subject_type, $3::timestamp(3))
     ON CONFLICT (subject_digest) DO UPDATE SET erased_at = GREATEST(erased_subject.erased_at, EXCLUDED.erased_at)`,
    [tombstoneDigest(subject), subject.type, startedAt.toISOString()],
  );
}

/**
 * Records when the erasure asked every gateway to purge the subject's cached answers, so that
 * the request is completed only once an entry that a gateway missed has expired too.
 */
export async function recordCachePurgeBroadcast(
  db: Database,
  subject: TombstoneSubject,
  broadcastAt: Date,
): Promise<void> {
  await sqlPoolOf(db).query(
    `UPDATE erased_subject SET cache_purge_broadcast_at = $2::timestamp(3) WHERE subject_digest = $1`,
    [tombstoneDigest(subject), broadcastAt.toISOString()],
  );
}

/** When the subject's last cache purge was broadcast, or null (none, or no tombstone). */
export async function cachePurgeBroadcastAt(db: Database, subject: TombstoneSubject): Promise<Date | null> {
  const result = await sqlPoolOf(db).query<{ at: string | null }>(
    // timestamp(3) holds UTC; to_char keeps it from being read in the session's time zone
    `SELECT to_char(cache_purge_broadcast_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM erased_subject WHERE subject_digest = $1`,
    [tombstoneDigest(subject)],
  );
  const at = result.rows[0]?.at;
  return at ? new Date(at) : null;
}

/**
 * The tombstones that cover what a request of an organization left (a turn, a usage record, a
 * cached answer): its organization's, and its end user's when it names one.
 */
export function coveringDigests(subject: { organizationId: string; endUserId: string | null }): string[] {
  const { organizationId, endUserId } = subject;
  const digests = [tombstoneDigest({ type: "ORGANIZATION", organizationId, id: organizationId })];
  if (endUserId !== null) digests.push(tombstoneDigest({ type: "END_USER", organizationId, id: endUserId }));
  return digests;
}

/** Whether an erasure covering the subject (coveringDigests) started at or after `since`. */
export async function isErasedSince(
  db: Database,
  subject: { organizationId: string; endUserId: string | null },
  since: Date,
): Promise<boolean> {
  const starts = await findErasureStarts(db, coveringDigests(subject));
  return [...starts.values()].some((start) => start >= since);
}

/**
 * `isErasedSince` read through `db`'s Prisma client or a transaction of it, for a write that
 * must see a tombstone in the same transaction.
 */
export async function isErasedSinceIn(
  db: Pick<Database, "erasedSubject">,
  subject: { organizationId: string; endUserId: string | null },
  since: Date,
): Promise<boolean> {
  const found = await db.erasedSubject.findFirst({
    where: { subjectDigest: { in: coveringDigests(subject) }, erasedAt: { gte: since } },
    select: { subjectDigest: true },
  });
  return found !== null;
}

/**
 * The start of the erasure of each of these digests that has one: one query by primary key,
 * for all the subjects of a batch at once.
 */
export async function findErasureStarts(
  db: Database,
  digests: readonly string[],
): Promise<Map<string, Date>> {
  if (digests.length === 0) return new Map();
  const result = await sqlPoolOf(db).query<{ subject_digest: string; at: string }>(
    `SELECT subject_digest, to_char(erased_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM erased_subject WHERE subject_digest = ANY($1::text[])`,
    [[...new Set(digests)]],
  );
  return new Map(result.rows.map((row) => [row.subject_digest, new Date(row.at)]));
}
