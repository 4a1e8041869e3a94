import { getUser } from "@dsc/core";
import { allowRoles } from "../procedure.ts";

/** The signed-in person: name, e-mail, role, organization, whether they have a password. */
export const getMeProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER").query(
  ({ ctx }) => getUser(ctx, { userId: ctx.user.id }),
);
