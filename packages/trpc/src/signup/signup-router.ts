import { router } from "../procedure.ts";
import { createAccountProcedure } from "./create-account.ts";
import { getSignupPolicyProcedure } from "./get-signup-policy.ts";
import { verifyEmailProcedure } from "./verify-email.ts";

export const signupRouter = router({
  policy: getSignupPolicyProcedure,
  create: createAccountProcedure,
  verifyEmail: verifyEmailProcedure,
});
