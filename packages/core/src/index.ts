export {
  ACCESS_ROLES,
  type AccessRole,
  DEFAULT_API_KEY_SCOPES,
  isMemberRole,
  isScope,
  MEMBER_ROLES,
  type MemberRole,
  ROLES,
  type Role,
  SCOPES,
  type Scope,
  SIGNUP_POLICIES,
  type SignupPolicy,
} from "@dsc/vocabulary";
export * from "./account-tokens/index.ts";
export * from "./audit/index.ts";
export * from "./auth/index.ts";
export * from "./bootstrap/index.ts";
export * from "./cache/index.ts";
export {
  type ChatAnswer,
  type CompleteChatDeps,
  type CompleteChatInput,
  type CompletionAnswer,
  completeChat,
  type ProblemLog,
} from "./chat/complete-chat.ts";
export type { StreamAnswer } from "./chat/follow-stream.ts";
export type {
  ObserveUpstream,
  UpstreamObservation,
  UpstreamOutcome,
} from "./chat/upstream-observer.ts";
export * from "./chat-logs/index.ts";
export * from "./compliance/index.ts";
export * from "./credentials/index.ts";
export * from "./crypto/index.ts";
export * from "./deployments/health/index.ts";
export * from "./deployments/index.ts";
export * from "./errors/index.ts";
export * from "./files/index.ts";
export * from "./ids/index.ts";
export * from "./limits/index.ts";
export * from "./mail/index.ts";
export * from "./masking/index.ts";
export * from "./memberships/index.ts";
export * from "./models/index.ts";
export * from "./notifications/index.ts";
export * from "./oauth/index.ts";
export * from "./onboarding/index.ts";
export * from "./organizations/index.ts";
export * from "./overview/index.ts";
export {
  type ChatProvider,
  isProviderError,
  type ProviderCall,
  ProviderError,
  type ProviderErrorKind,
} from "./providers/chat-provider.ts";
export { createLocalProvider, type LocalProviderOptions } from "./providers/local-provider.ts";
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
  type UpstreamRetries,
  type UpstreamTimeouts,
} from "./providers/openai-compatible-provider.ts";
export {
  createProviderRegistry,
  type DefaultUpstream,
  type ModelRoute,
  type ProviderRegistry,
  type ProviderRegistryOptions,
  type ResolvedProvider,
} from "./providers/provider-registry.ts";
export type { ProviderResolver } from "./providers/provider-resolver.ts";
export * from "./proxies/index.ts";
export * from "./retention/index.ts";
export * from "./signup/index.ts";
export * from "./text-work/index.ts";
export { createTier, TIER_SLUG_PATTERN } from "./tiers/create-tier.ts";
export { listTiers } from "./tiers/list-tiers.ts";
export { setTierStorageQuota } from "./tiers/set-tier-storage-quota.ts";
export type { TierLimits } from "./tiers/tier-limits.ts";
export type { TierView } from "./tiers/tier-view.ts";
export { updateTier } from "./tiers/update-tier.ts";
export * from "./time/index.ts";
export { countChatTokens, countTokens, messageText } from "./tokens/count-tokens.ts";
export * from "./tracing/index.ts";
export * from "./usage/index.ts";
export * from "./usage-analytics/index.ts";
export { authenticateWithPassword, type PasswordSignIn } from "./users/authenticate-with-password.ts";
export { changePassword } from "./users/change-password.ts";
export { type CreateUserInput, createUser } from "./users/create-user.ts";
export { deactivateUser } from "./users/deactivate-user.ts";
export { findSessionUser } from "./users/find-session-user.ts";
export { findUserByVerifiedEmail } from "./users/find-user-by-verified-email.ts";
export { getUser } from "./users/get-user.ts";
export { type ListUsersInput, listUsers, type UserPage } from "./users/list-users.ts";
export { hashPassword, verifyPassword } from "./users/password.ts";
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./users/password-policy.ts";
export { assertStrongPassword, MIN_PASSWORD_SCORE } from "./users/password-strength.ts";
export { placeMember } from "./users/place-member.ts";
export { reactivateUser } from "./users/reactivate-user.ts";
export { recordSignIn } from "./users/record-sign-in.ts";
export type { SessionIdentity } from "./users/session-identity.ts";
export { setUserPassword } from "./users/set-user-password.ts";
export { type SetUserRoleInput, setUserRole } from "./users/set-user-role.ts";
export { signOutEverywhere } from "./users/sign-out-everywhere.ts";
export type { UserView } from "./users/user-view.ts";
export * from "./webhooks/index.ts";
