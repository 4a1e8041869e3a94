import { revokeApiKey } from "@dsc/core";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RevokeApiKeyInputSchema } from "./api-keys-input.ts";

/** Revokes a key and tells every gateway, which refuse it within a second. */
export const revokeApiKeyProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(RevokeApiKeyInputSchema)
  .mutation(({ ctx, input }) =>
    revokeApiKey(ctx, {
      apiKeyId: input.apiKeyId,
      organizationId: ownOrganization(ctx.user) ?? undefined,
      actor: actorOf(ctx),
    }),
  );
