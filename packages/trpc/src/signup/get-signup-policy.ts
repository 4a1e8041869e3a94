import { allowAnyone } from "../procedure.ts";
import { accountsOf } from "./accounts-of.ts";

/** Who may sign up here, and whether e-mail is set up: what the sign-in, sign-up and reset pages offer. */
export const getSignupPolicyProcedure = allowAnyone().query(({ ctx }) => {
  const accounts = accountsOf(ctx);
  return { signup: accounts.signup, emailEnabled: accounts.mailer !== null };
});
