import { router } from "../procedure.ts";
import { searchAuditLogProcedure } from "./search-audit-log.ts";

/** Read-only by design: no procedure changes an audit event, and the table refuses it anyway. */
export const auditLogRouter = router({
  search: searchAuditLogProcedure,
});
