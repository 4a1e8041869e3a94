import { rotateOAuthClientSecret } from "@dsc/core";
import { graceMs } from "../api-keys/credential-input.ts";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RotateOAuthClientSecretInputSchema } from "./oauth-clients-input.ts";

/** A new client secret; the old one obtains tokens until the chosen grace period ends. */
export const rotateOAuthClientSecretProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(RotateOAuthClientSecretInputSchema)
  .mutation(({ ctx, input }) =>
    rotateOAuthClientSecret(ctx, {
      clientId: input.clientId,
      organizationId: ownOrganization(ctx.user) ?? undefined,
      gracePeriodMs: graceMs(input.gracePeriod),
      actor: actorOf(ctx),
    }),
  );
