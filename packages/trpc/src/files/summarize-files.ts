import { summarizeOrganizationFiles } from "@dsc/core";
import { assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { FilesSummaryInputSchema } from "./files-input.ts";

/** Storage used against the tier's quota, the retention, and what the next purge removes. */
export const summarizeFilesProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(FilesSummaryInputSchema)
  .query(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return summarizeOrganizationFiles(ctx, input);
  });
