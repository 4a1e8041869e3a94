import { rotateApiKey } from "@dsc/core";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RotateApiKeyInputSchema } from "./api-keys-input.ts";
import { graceMs } from "./credential-input.ts";

/** A new secret for a key; the old one works until the chosen grace period ends. */
export const rotateApiKeyProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(RotateApiKeyInputSchema)
  .mutation(({ ctx, input }) =>
    rotateApiKey(ctx, {
      apiKeyId: input.apiKeyId,
      organizationId: ownOrganization(ctx.user) ?? undefined,
      gracePeriodMs: graceMs(input.gracePeriod),
      actor: actorOf(ctx),
    }),
  );
