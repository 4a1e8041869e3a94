import { recordDeletionRegisterExport } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RecordDeletionRegisterExportInputSchema } from "./deletion-requests-input.ts";

/**
 * Records a CSV export of the deletion register (deletion_register.exported), called by the
 * browser before it offers the file: the requests themselves are read through `list`.
 */
export const recordDeletionRegisterExportProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(RecordDeletionRegisterExportInputSchema)
  .mutation(({ ctx, input }) =>
    recordDeletionRegisterExport(ctx, { actor: actorOf(ctx), filter: input.filter, rows: input.rows }),
  );
