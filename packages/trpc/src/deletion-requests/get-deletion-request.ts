import { getDeletionRequestReport } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { GetDeletionRequestInputSchema } from "./deletion-requests-input.ts";

/** One request with its erasure report: counts per kind, times and the report's SHA-256. */
export const getDeletionRequestProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(GetDeletionRequestInputSchema)
  .query(({ ctx, input }) =>
    getDeletionRequestReport(ctx, { id: input.deletionRequestId, organizationId: ownOrganization(ctx.user) }),
  );
