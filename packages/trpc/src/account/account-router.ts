import { router } from "../procedure.ts";
import { changePasswordProcedure } from "./change-password.ts";
import { getMeProcedure } from "./get-me.ts";

export const accountRouter = router({
  me: getMeProcedure,
  changePassword: changePasswordProcedure,
});
