import { listPowerfulCredentials } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { ListPowerfulCredentialsInputSchema } from "./organizations-input.ts";

/**
 * The organization's keys and clients that can erase its end users or export their data: for
 * the people who answer for that (compliance officers) and who run the platform (admins).
 */
export const listPowerfulCredentialsProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(ListPowerfulCredentialsInputSchema)
  .query(({ ctx, input }) => listPowerfulCredentials(ctx, { organizationId: input.organizationId }));
