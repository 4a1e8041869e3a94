import { router } from "../procedure.ts";
import { recordAuditLogExportProcedure } from "./record-audit-log-export.ts";
import { searchAuditLogProcedure } from "./search-audit-log.ts";

/**
 * Read-only by design: no procedure changes an audit event, and the table refuses it anyway.
 * Only recordExport writes, and what it writes is one more event: that the log was exported.
 */
export const auditLogRouter = router({
  search: searchAuditLogProcedure,
  recordExport: recordAuditLogExportProcedure,
});
