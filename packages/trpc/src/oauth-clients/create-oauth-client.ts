import { createOAuthClient } from "@dsc/core";
import { assertGrantableScopes, expiryMs } from "../api-keys/credential-input.ts";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { CreateOAuthClientInputSchema } from "./oauth-clients-input.ts";

/** A new client-credentials application; its secret is in this response only. */
export const createOAuthClientProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(CreateOAuthClientInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    assertGrantableScopes(ctx.user, input.scopes);
    return createOAuthClient(ctx, {
      organizationId: input.organizationId,
      name: input.name,
      scopes: input.scopes,
      expiresInMs: expiryMs(input.expiresIn),
      actor: actorOf(ctx),
    });
  });
