import type { AuditLogFilter } from "@dsc/trpc/schemas";
import { dayAfter, dayStart, validDay } from "../conversation-logs/date-range.ts";

/** The audit log's filter fields as typed (empty = any). */
export interface AuditFilterFields {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  fromDay: string;
  toDay: string;
}

/** The procedure's filter from the fields: blank ones left out, days as UTC instants. */
export function auditFilterOf(fields: AuditFilterFields, organizationId: string | undefined): AuditLogFilter {
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

/** The page's address parameters, as the page reads them back (a repeated one is an array). */
export type AuditFilterParams = Partial<
  Record<"actor" | "action" | "targetType" | "targetId" | "organization" | "from" | "to", string | string[]>
>;

/** The applied filter in the address, so that a reload or a shared link keeps it. */
export function auditFilterSearchParams(
  fields: AuditFilterFields,
  organizationId: string | undefined,
): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: keyof AuditFilterParams, value: string | undefined) => {
    if (value) params.set(name, value);
  };
  set("actor", fields.actorId);
  set("action", fields.action);
  set("targetType", fields.targetType);
  set("targetId", fields.targetId);
  set("organization", organizationId);
  set("from", validDay(fields.fromDay));
  set("to", validDay(fields.toDay));
  return params;
}

/** The fields and organization from the address; a day that is not one is left blank. */
export function auditFilterFieldsOf(params: AuditFilterParams): {
  fields: AuditFilterFields;
  organizationId: string | undefined;
} {
  const first = (name: keyof AuditFilterParams) => {
    const value = params[name];
    return (Array.isArray(value) ? value[0] : value) ?? "";
  };
  return {
    fields: {
      actorId: first("actor"),
      action: first("action"),
      targetType: first("targetType"),
      targetId: first("targetId"),
      fromDay: validDay(first("from")),
      toDay: validDay(first("to")),
    },
    organizationId: first("organization") || undefined,
  };
}
