import { type Database, sqlPoolOf } from "@dsc/db";
import type { DataKeySubject } from "../crypto/data-key-cache.ts";
import { coveringDigests, findErasureStarts } from "./erasure-tombstones.ts";

/** What an erasure check needs of a turn: whose it is, and when it was recorded. */
export interface ErasureView {
  subject: DataKeySubject;
  recordedAt: Date;
}

/**
 * Splits `entries` into those whose turn may be written and those that must be dropped: a turn
 * recorded no later than the start of its end user's or its organization's erasure belongs to
 * what the erasure removes, and writing it after the erasure (under a key made afresh, as the
 * erasure destroyed the old one) would keep it. One query for the distinct subjects of the lot.
 * Turns recorded after the start are the organization's new traffic and are kept.
 */
export async function dropErasedTurns<T>(
  db: Database,
  entries: readonly T[],
  view: (entry: T) => ErasureView,
): Promise<{ kept: T[]; dropped: T[] }> {
  if (entries.length === 0) return { kept: [], dropped: [] };
  // a digest is a hash: once per turn, for the query and for the split alike
  const digests = entries.map((entry) => coveringDigests(view(entry).subject));
  const starts = await findErasureStarts(db, digests.flat());
  if (starts.size === 0) return { kept: [...entries], dropped: [] };
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const [index, entry] of entries.entries()) {
    const { recordedAt } = view(entry);
    const covered = (digests[index] ?? []).some((digest) => {
      const start = starts.get(digest);
      return start !== undefined && recordedAt <= start;
    });
    (covered ? dropped : kept).push(entry);
  }
  return { kept, dropped };
}

/**
 * Deletes those of these data keys that no chat log is sealed under. The logs are looked up by
 * the key's subject, which their index leads with; an erased subject has few or none left.
 */
export async function deleteUnusedDataKeys(db: Database, dataKeyIds: readonly string[]): Promise<void> {
  await sqlPoolOf(db).query(
    `DELETE FROM data_key WHERE id = ANY($1::text[])
        AND NOT EXISTS (
          SELECT 1 FROM chat_log
           WHERE chat_log.organization_id = data_key.organization_id
             AND chat_log.end_user_id IS NOT DISTINCT FROM NULLIF(data_key.end_user_id, '')
             AND chat_log.data_key_id = data_key.id)`,
    [[...new Set(dataKeyIds)]],
  );
}
