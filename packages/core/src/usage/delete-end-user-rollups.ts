import { type Database, sqlPoolOf } from "@dsc/db";

/**
 * Deletes at most `limit` end-user roll-up rows (usage_rollup_end_user) of an end user, or with
 * `endUserId` null of every end user of the organization; says how many. The rows are counts
 * under the end user's id: the organization's, key and platform roll-ups keep the same counts
 * without it, as usage rows keep theirs once their end-user id is cleared, so an erased end
 * user's usage stays in every total and leaves only the by-end-user view.
 */
export async function deleteEndUserRollups(
  db: Database,
  subject: { organizationId: string; endUserId: string | null },
  limit: number,
): Promise<number> {
  const result = await sqlPoolOf(db).query(
    `DELETE FROM usage_rollup_end_user WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM usage_rollup_end_user
        WHERE organization_id = $1 AND ($2::text IS NULL OR end_user_id = $2::text)
        LIMIT $3))`,
    [subject.organizationId, subject.endUserId, limit],
  );
  return result.rowCount ?? 0;
}
