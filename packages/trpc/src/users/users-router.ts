import { router } from "../procedure.ts";
import { createPasswordResetLinkProcedure } from "./create-password-reset-link.ts";
import { createUserProcedure } from "./create-user.ts";
import { deactivateUserProcedure } from "./deactivate-user.ts";
import { listUsersProcedure } from "./list-users.ts";
import { reactivateUserProcedure } from "./reactivate-user.ts";
import { setUserPasswordProcedure } from "./set-user-password.ts";
import { setUserRoleProcedure } from "./set-user-role.ts";

export const usersRouter = router({
  list: listUsersProcedure,
  create: createUserProcedure,
  setRole: setUserRoleProcedure,
  setPassword: setUserPasswordProcedure,
  passwordResetLink: createPasswordResetLinkProcedure,
  deactivate: deactivateUserProcedure,
  reactivate: reactivateUserProcedure,
});
