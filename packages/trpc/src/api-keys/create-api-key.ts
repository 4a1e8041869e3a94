import { createApiKey } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { CreateApiKeyInputSchema } from "./api-keys-input.ts";
import { assertGrantableScopes, expiryMs } from "./credential-input.ts";

/** A new key; its secret is in this response only. */
export const createApiKeyProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(CreateApiKeyInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    assertGrantableScopes(ctx.user, input.scopes);
    return createApiKey(ctx, {
      organizationId: input.organizationId,
      name: input.name,
      scopes: input.scopes,
      expiresInMs: expiryMs(input.expiresIn),
      actor: actorOf(ctx),
    });
  });
