import { searchAuditEvents } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { SearchAuditLogInputSchema } from "./audit-log-input.ts";

/** Audit events newest first under the filter, a page at a time, with people's and organizations' names. */
export const searchAuditLogProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(SearchAuditLogInputSchema)
  .query(({ ctx, input }) => searchAuditEvents(ctx.db, input));
