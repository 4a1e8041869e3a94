import { listOrganizations } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListOrganizationsInputSchema } from "./organizations-input.ts";

/** Admins and compliance officers see every organization, in the order asked for; developers only their own. */
export const listOrganizationsProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(ListOrganizationsInputSchema)
  .query(async ({ ctx, input }) => {
    const own = ownOrganization(ctx.user);
    // one more than asked tells whether another page follows
    const found = await listOrganizations(ctx, {
      search: input.search || undefined,
      sort: input.sort,
      after: input.after,
      limit: input.limit + 1,
      ...(own !== null ? { onlyId: own } : {}),
    });
    const items = found.slice(0, input.limit);
    return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
  });
