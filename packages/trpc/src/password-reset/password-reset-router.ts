import { router } from "../procedure.ts";
import { completePasswordResetProcedure } from "./complete-password-reset.ts";
import { requestPasswordResetProcedure } from "./request-password-reset.ts";

export const passwordResetRouter = router({
  request: requestPasswordResetProcedure,
  complete: completePasswordResetProcedure,
});
