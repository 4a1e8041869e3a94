import { type ActorType, type Database, sqlPoolOf } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/** The audit log's filters; each one absent means any. */
export interface AuditEventFilter {
  actorId?: string;
  /** exact */
  action?: string;
  /** only with targetId: no index reads one type's events in id order */
  targetType?: string;
  /** with targetType: the (target_type, target_id) index has the type first */
  targetId?: string;
  organizationId?: string;
  /** occurred at or after */
  from?: Date;
  /** occurred before */
  to?: Date;
}

export interface SearchAuditEventsInput extends AuditEventFilter {
  /** 1 to AUDIT_PAGE_MAX_SIZE */
  limit: number;
  /** the nextCursor of the page before */
  after?: string;
}

/** a CSV export reads the log in pages of this many */
export const AUDIT_PAGE_MAX_SIZE = 1_000;

export interface AuditEventView {
  /** a bigint's digits */
  id: string;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string;
  /** a dashboard person's name and e-mail address, when the actor is one that still exists */
  actor: { name: string | null; email: string } | null;
  organizationId: string | null;
  organizationName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  origin: string;
  metadata: unknown;
}

export interface AuditEventPage {
  items: AuditEventView[];
  nextCursor: string | null;
}

interface AuditEventRow {
  id: string;
  occurred_at: string;
  actor_type: ActorType;
  actor_id: string;
  organization_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  origin: string;
  metadata: unknown;
}

/** a page's place: the last event's id, or with a time filter its time and id ("<ms>_<id>") */
const ID_CURSOR = /^\d{1,19}$/;
const TIME_CURSOR = /^(\d{1,15})_(\d{1,19})$/;

/** bigint's largest: a greater id would make PostgreSQL's cast fail */
const BIGINT_MAX = 9_223_372_036_854_775_807n;
/**
 * The times a filter or cursor may name, 2000 up to 2100: no event is outside, and a year past
 * 9999 is one PostgreSQL's timestamp cannot read.
 */
const EARLIEST_TIME_MS = Date.UTC(2000, 0, 1);
const LATEST_TIME_MS = Date.UTC(2100, 0, 1);
const isSaneTime = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;

const hasTimeFilter = (filter: AuditEventFilter) => filter.from !== undefined || filter.to !== undefined;

/** Whether `after` is a cursor this list could have given under this filter. */
function isCursorOfList(after: string, byTime: boolean): boolean {
  if (!byTime) return ID_CURSOR.test(after) && BigInt(after) <= BIGINT_MAX;
  const time = TIME_CURSOR.exec(after);
  return time !== null && isSaneTime(Number(time[1])) && BigInt(time[2] ?? "0") <= BIGINT_MAX;
}

/** Refuses, with a sentence, a filter or cursor that no index can read or no event can match. */
function checkSearch(input: SearchAuditEventsInput): void {
  if (input.after !== undefined && !isCursorOfList(input.after, hasTimeFilter(input))) {
    throw new DomainError("invalid", "This page cursor is not one the list gave.", "after");
  }
  if (input.targetId !== undefined && input.targetType === undefined) {
    throw new DomainError("invalid", "Choose the target's type with its id.", "targetType");
  }
  if (input.targetType !== undefined && input.targetId === undefined) {
    throw new DomainError(
      "invalid",
      "Enter the target's id with its type; to see every event of a kind, filter by action.",
      "targetId",
    );
  }
  for (const field of ["from", "to"] as const) {
    const at = input[field];
    if (at !== undefined && !isSaneTime(at.getTime())) {
      throw new DomainError("invalid", "Choose a date from the year 2000 to 2100.", field);
    }
  }
}

/**
 * The statement of one page of audit events, newest first. Without a time filter the order is
 * the id's, and each filter has an index that reads it in id order or a narrow one: organization,
 * actor and action (x, id), target (type, id). With a time filter the order is (occurred_at, id),
 * read from the (occurred_at) or (organization, occurred_at) index: ids rise with time, so the
 * order is the same, but PostgreSQL cannot know that, and would walk the id index backwards
 * through every event newer than the range. audit-paging-plans.test.ts checks the plans over a
 * large table; exported for it, which explains exactly this statement.
 */
export function auditEventPageStatement(filter: AuditEventFilter & { after?: string; limit: number }) {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = (condition: (parameter: string) => string, value: unknown) =>
    conditions.push(condition(parameter(value)));
  if (filter.organizationId !== undefined) where((p) => `organization_id = ${p}`, filter.organizationId);
  if (filter.actorId !== undefined) where((p) => `actor_id = ${p}`, filter.actorId);
  if (filter.action !== undefined) where((p) => `action = ${p}`, filter.action);
  if (filter.targetType !== undefined) where((p) => `target_type = ${p}`, filter.targetType);
  if (filter.targetId !== undefined) where((p) => `target_id = ${p}`, filter.targetId);
  // timestamp(3) holds UTC: compare with the instant written as UTC
  if (filter.from !== undefined) where((p) => `occurred_at >= ${p}::timestamp(3)`, utc(filter.from));
  if (filter.to !== undefined) where((p) => `occurred_at < ${p}::timestamp(3)`, utc(filter.to));
  const byTime = hasTimeFilter(filter);
  if (filter.after !== undefined) {
    const time = TIME_CURSOR.exec(filter.after);
    if (byTime && time) {
      const at = parameter(utc(new Date(Number(time[1]))));
      const id = parameter(time[2]);
      conditions.push(
        `occurred_at <= ${at}::timestamp(3) AND (occurred_at < ${at}::timestamp(3) OR audit_event.id < ${id}::bigint)`,
      );
    } else {
      where((p) => `audit_event.id < ${p}::bigint`, filter.after);
    }
  }
  const limit = parameter(filter.limit + 1);
  // the ORDER BY names the columns: a bare `id` would be the output's text id, sorted as text
  return {
    text: `SELECT id::text AS id, to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
              actor_type, actor_id, organization_id, action, target_type, target_id, origin, metadata
         FROM audit_event
        ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
        ORDER BY ${byTime ? "audit_event.occurred_at DESC, " : ""}audit_event.id DESC
        LIMIT ${limit}`,
    values,
  };
}

const utc = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

/**
 * Audit events newest first under the filter, a page at a time, with the names of the people
 * and organizations they name (one query each for the page). Read-only: nothing here, nor
 * anywhere else, changes an audit event (the table refuses it, append-only.test.ts).
 */
export async function searchAuditEvents(
  db: Database,
  input: SearchAuditEventsInput,
): Promise<AuditEventPage> {
  checkSearch(input);
  const limit = Math.min(Math.max(input.limit, 1), AUDIT_PAGE_MAX_SIZE);
  const { rows } = await sqlPoolOf(db).query<AuditEventRow>(auditEventPageStatement({ ...input, limit }));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const people = [...new Set(page.filter((row) => row.actor_type === "USER").map((row) => row.actor_id))];
  const organizations = [
    ...new Set(page.flatMap((row) => (row.organization_id ? [row.organization_id] : []))),
  ];
  const [users, orgs] = await Promise.all([
    people.length > 0
      ? db.user.findMany({ where: { id: { in: people } }, select: { id: true, name: true, email: true } })
      : [],
    organizations.length > 0
      ? db.organization.findMany({ where: { id: { in: organizations } }, select: { id: true, name: true } })
      : [],
  ]);
  const personById = new Map(users.map((user) => [user.id, { name: user.name, email: user.email }]));
  const organizationNames = new Map(orgs.map((org) => [org.id, org.name]));
  return {
    items: page.map((row) => ({
      id: row.id,
      occurredAt: new Date(row.occurred_at),
      actorType: row.actor_type,
      actorId: row.actor_id,
      actor: row.actor_type === "USER" ? (personById.get(row.actor_id) ?? null) : null,
      organizationId: row.organization_id,
      organizationName: row.organization_id ? (organizationNames.get(row.organization_id) ?? null) : null,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      origin: row.origin,
      metadata: row.metadata,
    })),
    nextCursor: rows.length > limit && last ? cursorOf(last, hasTimeFilter(input)) : null,
  };
}

const cursorOf = (row: AuditEventRow, byTime: boolean) =>
  byTime ? `${new Date(row.occurred_at).getTime()}_${row.id}` : row.id;
