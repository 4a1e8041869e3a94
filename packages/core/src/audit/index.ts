export { type Actor, cliActor } from "./actor.ts";
export { type AuditEntry, recordAuditEvent } from "./record-audit-event.ts";
export { recordAuditLogExport } from "./record-audit-log-export.ts";
export {
  AUDIT_PAGE_MAX_SIZE,
  type AuditEventFilter,
  type AuditEventPage,
  type AuditEventView,
  auditEventPageStatement,
  type SearchAuditEventsInput,
  searchAuditEvents,
} from "./search-audit-events.ts";
