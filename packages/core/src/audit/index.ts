export { type Actor, cliActor } from "./actor.ts";
export { type AuditEntry, recordAuditEvent } from "./record-audit-event.ts";
