import { revokeOAuthClient } from "@dsc/core";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RevokeOAuthClientInputSchema } from "./oauth-clients-input.ts";

/** Revokes a client: its secret and the access tokens it holds stop working. */
export const revokeOAuthClientProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(RevokeOAuthClientInputSchema)
  .mutation(({ ctx, input }) =>
    revokeOAuthClient(ctx, {
      clientId: input.clientId,
      organizationId: ownOrganization(ctx.user) ?? undefined,
      actor: actorOf(ctx),
    }),
  );
