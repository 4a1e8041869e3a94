import { getLegalHold } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { GetLegalHoldInputSchema } from "./organizations-input.ts";

/** Whether a hold is on, since when and why; not for developers, whom a hold's reason does not concern. */
export const getLegalHoldProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(GetLegalHoldInputSchema)
  .query(({ ctx, input }) => getLegalHold(ctx, { organizationId: input.organizationId }));
