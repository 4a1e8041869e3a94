export { accountLink, EXPIRED_LINK_MESSAGE, EXPIRED_RESET_LINK_MESSAGE } from "./account-links.ts";
export {
  ACCOUNT_LIMITS,
  type AccountLimits,
  type AccountThrottle,
  createAccountThrottle,
  type ThrottledAccountAction,
} from "./account-throttle.ts";
export {
  createPasswordResetLink,
  type PasswordResetLink,
  RESET_REQUEST_MIN_MS,
  requestPasswordReset,
  resetPassword,
} from "./password-reset.ts";
export { assertSignupOpen, SIGN_UP_TIER, type SignedUp, type SignUpDeps, signUp } from "./sign-up.ts";
export { sendVerificationEmail, verifyEmail } from "./verify-email.ts";
