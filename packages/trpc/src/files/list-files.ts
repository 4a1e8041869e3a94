import { searchOrganizationFiles } from "@dsc/core";
import { assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListFilesInputSchema } from "./files-input.ts";

/** One organization's live files, filtered and sorted, a page at a time; developers their own. */
export const listFilesProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(ListFilesInputSchema)
  .query(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return searchOrganizationFiles(ctx, input);
  });
