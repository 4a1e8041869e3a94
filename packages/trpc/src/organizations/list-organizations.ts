import { listOrganizations } from "@dsc/core";
import { z } from "zod";
import { allowRoles } from "../procedure.ts";

export const ListOrganizationsInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

/** Admins and compliance officers see every organization; developers only their own. */
export const listOrganizationsProcedure = allowRoles("ADMIN", "COMPLIANCE", "DEVELOPER")
  .input(ListOrganizationsInputSchema)
  .query(({ ctx, input }) =>
    listOrganizations(
      ctx,
      ctx.user.role === "DEVELOPER" ? { ...input, onlyId: ctx.user.organizationId ?? "" } : input,
    ),
  );
