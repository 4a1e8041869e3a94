import { type Database, sqlPoolOf } from "@dsc/db";
import { NEAR_DEADLINE_MS } from "@dsc/vocabulary";
import { OPEN_DELETION_STATUSES } from "../compliance/deletion-deadlines.ts";
import type { Clock } from "../time/clock.ts";
import { enqueueWebhookEvent } from "./enqueue-webhook-event.ts";

type DeletionEventType =
  | "deletion_request.near_deadline"
  | "deletion_request.overdue"
  | "deletion_request.completed";

/** Once per request and event type. */
export const deletionRequestEventKey = (type: DeletionEventType, deletionRequestId: string) =>
  `${type}:${deletionRequestId}`;

/** Completed requests older than this are not announced (the job was down, or webhooks are new). */
const COMPLETED_LOOKBACK_MS = 24 * 3_600_000;
const MAX_EVENTS_PER_RUN = 1_000;

interface DeletionRow {
  id: string;
  organization_id: string | null;
  subject_type: "END_USER" | "ORGANIZATION" | "ACCOUNT";
  status: string;
  due_at: string;
  completed_at: string | null;
}

// Times as ISO text: the columns hold UTC without a zone, which node-postgres would read as local.
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Sends `deletion_request.near_deadline` (open, due within 12 hours) and
 * `deletion_request.overdue` (open, past due), once per request each. The subject's id is never
 * in the payload: only the request's id, its organization and the kind of subject.
 */
export async function notifyDeletionDeadlines(deps: {
  db: Database;
  clock: Clock;
}): Promise<{ events: number }> {
  const now = deps.clock.now();
  const { rows } = await sqlPoolOf(deps.db).query<DeletionRow & { overdue: boolean }>(
    `SELECT r.id, r.organization_id, r.subject_type::text AS subject_type, r.status::text AS status,
            ${iso("r.due_at")} AS due_at, NULL AS completed_at, r.due_at <= $1::timestamp(3) AS overdue
       FROM deletion_request r
      WHERE r.status::text = ANY($3::text[]) AND r.due_at <= $2::timestamp(3)
        AND NOT EXISTS (
          SELECT 1 FROM webhook_event_once e
           WHERE e.key = CASE WHEN r.due_at <= $1::timestamp(3) THEN 'deletion_request.overdue:'
                              ELSE 'deletion_request.near_deadline:' END || r.id)
      ORDER BY r.due_at, r.id
      LIMIT $4`,
    [
      now.toISOString(),
      new Date(now.getTime() + NEAR_DEADLINE_MS).toISOString(),
      [...OPEN_DELETION_STATUSES],
      MAX_EVENTS_PER_RUN,
    ],
  );
  let events = 0;
  for (const row of rows) {
    const type = row.overdue ? "deletion_request.overdue" : "deletion_request.near_deadline";
    const sent = await enqueueWebhookEvent(deps, {
      type,
      organizationId: row.organization_id,
      onceKey: deletionRequestEventKey(type, row.id),
      data: {
        deletion_request_id: row.id,
        organization_id: row.organization_id,
        subject_type: row.subject_type,
        status: row.status,
        due_at: row.due_at,
      },
    });
    if (sent.eventId) events += 1;
  }
  return { events };
}

/** Sends `deletion_request.completed` once per request completed in the last day. */
export async function notifyCompletedDeletionRequests(deps: {
  db: Database;
  clock: Clock;
}): Promise<{ events: number }> {
  const now = deps.clock.now();
  const { rows } = await sqlPoolOf(deps.db).query<DeletionRow & { late: boolean }>(
    `SELECT r.id, r.organization_id, r.subject_type::text AS subject_type, r.status::text AS status,
            ${iso("r.due_at")} AS due_at, ${iso("r.completed_at")} AS completed_at,
            r.completed_at > r.due_at AS late
       FROM deletion_request r
      WHERE r.status = 'COMPLETED' AND r.completed_at >= $1::timestamp(3)
        AND NOT EXISTS (
          SELECT 1 FROM webhook_event_once e WHERE e.key = 'deletion_request.completed:' || r.id)
      ORDER BY r.completed_at, r.id
      LIMIT $2`,
    [new Date(now.getTime() - COMPLETED_LOOKBACK_MS).toISOString(), MAX_EVENTS_PER_RUN],
  );
  let events = 0;
  for (const row of rows) {
    const sent = await enqueueWebhookEvent(deps, {
      type: "deletion_request.completed",
      organizationId: row.organization_id,
      onceKey: deletionRequestEventKey("deletion_request.completed", row.id),
      data: {
        deletion_request_id: row.id,
        organization_id: row.organization_id,
        subject_type: row.subject_type,
        due_at: row.due_at,
        completed_at: row.completed_at as string,
        late: row.late,
      },
    });
    if (sent.eventId) events += 1;
  }
  return { events };
}
