import type { Database } from "@dsc/db";
import { assertOrganizationExists } from "../organizations/assert-organization-exists.ts";

/** Counting stops here: "10,000 or more" says enough before an erasure, and costs a bounded read. */
export const END_USER_RECORD_COUNT_CAP = 10_000;

/** How many rows of one kind name the end user; at the cap, there may be more. */
export interface RecordCount {
  count: number;
  /** the count reached END_USER_RECORD_COUNT_CAP and stopped: "10,000 or more" */
  isCapped: boolean;
}

/**
 * What an erasure of this end user would find: usage events that carry their id, conversation
 * logs and files. Cached answers are not counted: they live in each gateway's memory or in
 * Redis, sealed under the end user's data key, and the erasure reaches them through that key.
 */
export interface EndUserRecordCounts {
  usageEvents: RecordCount;
  chatLogs: RecordCount;
  files: RecordCount;
  /** no record of any kind names this id (it may be mistyped, or never sent) */
  matchesNothing: boolean;
}

/**
 * Counts an end user's records in one organization before an erasure is filed, so that an id
 * that never appears in the organization's data is noticed. Each count reads the index of
 * (organization, end user) and stops at the cap, so a prolific end user costs no more than that.
 */
export async function countEndUserRecords(
  db: Database,
  input: { organizationId: string; endUserId: string },
): Promise<EndUserRecordCounts> {
  await assertOrganizationExists(db, input.organizationId);
  const { organizationId, endUserId } = input;
  const cap = END_USER_RECORD_COUNT_CAP;
  const [row] = await db.$queryRaw<{ usage_events: number; chat_logs: number; files: number }[]>`
    SELECT
      (SELECT count(*) FROM (SELECT 1 FROM usage_event
        WHERE organization_id = ${organizationId} AND end_user_id = ${endUserId} LIMIT ${cap}) AS u)::int
        AS usage_events,
      (SELECT count(*) FROM (SELECT 1 FROM chat_log
        WHERE organization_id = ${organizationId} AND end_user_id = ${endUserId} LIMIT ${cap}) AS c)::int
        AS chat_logs,
      (SELECT count(*) FROM (SELECT 1 FROM file
        WHERE organization_id = ${organizationId} AND end_user_id = ${endUserId} LIMIT ${cap}) AS f)::int
        AS files`;
  const counted = (count: number | undefined): RecordCount => ({
    count: count ?? 0,
    isCapped: (count ?? 0) >= cap,
  });
  const counts = {
    usageEvents: counted(row?.usage_events),
    chatLogs: counted(row?.chat_logs),
    files: counted(row?.files),
  };
  return { ...counts, matchesNothing: Object.values(counts).every((kind) => kind.count === 0) };
}
