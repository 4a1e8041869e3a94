import type { SearchAuditLogInput } from "@dsc/trpc/schemas";
import { dayAfter, dayStart } from "../conversation-logs/date-range.ts";

/** The audit log's filter fields as typed (empty = any). */
export interface AuditFilterFields {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  fromDay: string;
  toDay: string;
}

/** The procedure's filter from the fields: blank ones left out, days as instants. */
export function auditFilterOf(
  fields: AuditFilterFields,
  organizationId: string | undefined,
): Omit<SearchAuditLogInput, "limit" | "after"> {
  const text = (value: string) => value.trim() || undefined;
  const from = dayStart(fields.fromDay);
  const to = dayAfter(fields.toDay);
  const filter = {
    actorId: text(fields.actorId),
    action: text(fields.action),
    targetType: text(fields.targetType),
    targetId: text(fields.targetId),
    organizationId,
    from,
    to,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
