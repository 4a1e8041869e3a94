import { recordAuditLogExport } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RecordAuditLogExportInputSchema } from "./audit-log-input.ts";

/**
 * Records a CSV export of the audit log (audit_log.exported), called by the browser before it
 * offers the file: the events themselves are read through `search`, a page at a time.
 */
export const recordAuditLogExportProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(RecordAuditLogExportInputSchema)
  .mutation(({ ctx, input }) =>
    recordAuditLogExport(ctx, { actor: actorOf(ctx), filter: input.filter, rows: input.rows }),
  );
