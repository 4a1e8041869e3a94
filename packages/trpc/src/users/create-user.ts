import { createUser } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { CreateUserInputSchema } from "./users-input.ts";

/**
 * Adds a person with a password, or invites them to sign in through an identity provider, which
 * only works when the dashboard has one configured.
 */
export const createUserProcedure = allowRoles("ADMIN")
  .input(CreateUserInputSchema)
  .mutation(({ ctx, input }) =>
    createUser(ctx, {
      email: input.email,
      name: input.name,
      role: input.role,
      organizationId: input.organizationId || null,
      password: input.password || null,
      hasIdentityProvider: ctx.hasIdentityProvider ?? false,
      actor: actorOf(ctx),
    }),
  );
