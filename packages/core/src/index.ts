export { DEFAULT_API_KEY_SCOPES, isScope, ROLES, type Role, SCOPES, type Scope } from "@dsc/vocabulary";
export type { Actor } from "./audit/actor.ts";
export { cliActor } from "./audit/actor.ts";
export { type AuditEntry, recordAuditEvent } from "./audit/record-audit-event.ts";
export * from "./auth/index.ts";
export {
  type BootstrapInput,
  type BootstrapResult,
  bootstrapPlatform,
} from "./bootstrap/bootstrap-platform.ts";
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
export * from "./chat-logs/index.ts";
export * from "./compliance/index.ts";
export * from "./credentials/index.ts";
export * from "./crypto/index.ts";
export { DomainError, type DomainErrorCode, isDomainError } from "./errors/domain-error.ts";
export * from "./files/index.ts";
export { ID_PREFIX, type IdKind, newId, randomBase62 } from "./ids/public-id.ts";
export * from "./limits/index.ts";
export * from "./masking/index.ts";
export { modelAvailableTo, modelsAvailableTo } from "./models/organization-models.ts";
export {
  createPostgresNotifications,
  type NotificationHandlers,
  type PostgresNotifications,
} from "./notifications/postgres-notifications.ts";
export * from "./oauth/index.ts";
export { type CreateOrganizationInput, createOrganization } from "./organizations/create-organization.ts";
export { findTierBySlug } from "./organizations/find-tier.ts";
export { getOrganization } from "./organizations/get-organization.ts";
export {
  getLegalHold,
  LEGAL_HOLD_REASON_MAX_LENGTH,
  type LegalHoldState,
  setLegalHold,
} from "./organizations/legal-hold.ts";
export { listOrganizationMembers } from "./organizations/list-organization-members.ts";
export { type ListOrganizationsInput, listOrganizations } from "./organizations/list-organizations.ts";
export {
  createOrganizationChangeFeed,
  ORGANIZATION_CHANGES_CHANNEL,
  type OrganizationChange,
  type OrganizationChangeFeed,
  parseOrganizationChange,
} from "./organizations/organization-changes.ts";
export type { OrganizationDetails } from "./organizations/organization-details.ts";
export {
  loadOrganizationSnapshot,
  type OrganizationSnapshot,
} from "./organizations/organization-snapshot.ts";
export {
  createOrganizationSnapshotCache,
  type OrganizationSnapshotCache,
  type OrganizationSnapshotCacheOptions,
} from "./organizations/organization-snapshot-cache.ts";
export type { OrganizationView } from "./organizations/organization-view.ts";
export { setOrganizationTier } from "./organizations/set-organization-tier.ts";
export {
  type DataProtectionSettings,
  updateDataProtection,
} from "./organizations/update-data-protection.ts";
export {
  type OrganizationSettings,
  updateOrganizationSettings,
} from "./organizations/update-organization-settings.ts";
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
export { chatLogExpiry } from "./retention/chat-log-expiry.ts";
export { type PurgeOptions, purgeExpiredChatLogs } from "./retention/purge-expired-chat-logs.ts";
export * from "./text-work/index.ts";
export { createTier, TIER_SLUG_PATTERN } from "./tiers/create-tier.ts";
export { listTiers } from "./tiers/list-tiers.ts";
export { setTierStorageQuota } from "./tiers/set-tier-storage-quota.ts";
export type { TierLimits } from "./tiers/tier-limits.ts";
export type { TierView } from "./tiers/tier-view.ts";
export { updateTier } from "./tiers/update-tier.ts";
export { type Clock, systemClock } from "./time/clock.ts";
export { parseDuration } from "./time/duration.ts";
export { countChatTokens, countTokens, messageText } from "./tokens/count-tokens.ts";
export * from "./usage/index.ts";
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
export { reactivateUser } from "./users/reactivate-user.ts";
export { recordSignIn } from "./users/record-sign-in.ts";
export type { SessionIdentity } from "./users/session-identity.ts";
export { type SetUserRoleInput, setUserRole } from "./users/set-user-role.ts";
export { signOutEverywhere } from "./users/sign-out-everywhere.ts";
export type { UserView } from "./users/user-view.ts";
